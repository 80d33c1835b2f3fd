import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { deviceScopesAsLike } from '../common/device-scope';
import { MessageDto, MessagesDto, MessagesQueryDto } from './dto/messages.dto';

// Per device through the primary key (device_id, metric, ts), merged: no (metric, ts) index for ingest to maintain.
const FILTER = `r.device_id = d.id AND ($5::text IS NULL OR d.id = $5) AND r.metric = $1 AND r.ts >= $2 AND r.ts < $3 AND ($4::float8 IS NULL OR r.value = $4)`;
// an API key bound to devices sees only theirs (LIKE patterns; NULL: every device)
const SCOPE = (n: number) => `($${n}::text[] IS NULL OR d.id LIKE ANY($${n}::text[]))`;
const ITEMS_SQL = `SELECT r.device_id AS "deviceId", r.metric, r.ts, r.value FROM devices d CROSS JOIN LATERAL (
    SELECT * FROM readings r WHERE ${FILTER} ORDER BY r.ts DESC LIMIT $6) r
  WHERE ${SCOPE(7)} ORDER BY r.ts DESC, r.device_id LIMIT $6`;
const COUNT_SQL = `SELECT coalesce(sum(c.n), 0)::bigint AS total FROM devices d CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM readings r WHERE ${FILTER}) c WHERE ${SCOPE(6)}`;

@Injectable()
export class MessagesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(q: MessagesQueryDto, deviceScopes: string[] | null = null): Promise<MessagesDto> {
    const range = [q.start_time ?? new Date(0), q.end_time ?? new Date(8.64e15)];
    const params = [q.key, ...range, q.value ?? null, q.deviceId ?? null];
    const like = deviceScopes && deviceScopesAsLike(deviceScopes);
    const [items, [{ total }]] = await Promise.all([
      this.db.query<MessageDto[]>(ITEMS_SQL, [...params, q.limit, like]),
      this.db.query<{ total: string }[]>(COUNT_SQL, [...params, like]),
    ]);
    return { total: Number(total), limit: q.limit, items };
  }
}
