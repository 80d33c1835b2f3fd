import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';

import { ApiKey } from '@sensorhub/domain';

import { notFound, unauthorized } from '../common/errors';
import { Principal } from '../common/decorators/principal.decorator';
import { CreateApiKeyDto } from './dto/api-key.dto';

const KEY_PATTERN = /^(shk_[A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key, so reads do not each cost a write */
const LAST_USED_RESOLUTION_MS = 60_000;

// The secret holds 256 random bits: a fast hash cannot be brute-forced, and argon2 per request would cost ~100 ms.
const digest = (key: string) => createHash('sha256').update(key).digest('hex');

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  list(): Promise<ApiKey[]> {
    return this.keys.find({ order: { createdAt: 'DESC' } });
  }

  async create(dto: CreateApiKeyDto, createdBy: string | null): Promise<{ row: ApiKey; key: string }> {
    const prefix = `shk_${randomBytes(6).toString('base64url')}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const { identifiers } = await this.keys.insert({
      name: dto.name,
      prefix,
      hash: digest(key),
      scopes: dto.scopes,
      deviceScopes: dto.devices ?? null,
      createdBy,
    });
    return { row: (await this.keys.findOneBy({ id: identifiers[0].id as string }))!, key };
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.existsBy({ id }))) throw notFound('API key');
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** The principal of a valid, unrevoked key; 401 otherwise. */
  async authenticate(key: string): Promise<Principal> {
    const m = KEY_PATTERN.exec(key);
    if (!m) throw unauthorized('invalid API key');
    const row = await this.keys
      .createQueryBuilder('k')
      .addSelect('k.hash')
      .where('k.prefix = :prefix', { prefix: m[1] })
      .getOne();
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(digest(key))))
      throw unauthorized('invalid API key');
    if (row.revokedAt) throw unauthorized('API key revoked');
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      void this.keys.update({ id: row.id }, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    return { kind: 'apiKey', id: row.id, name: row.name, scopes: row.scopes, deviceScopes: row.deviceScopes };
  }
}
