import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';

import { ApiKeyScope, Role } from '@sensorhub/domain';

import { Principal } from '../common/decorators/principal.decorator';
import { JsonLogger } from '../common/logging/json-logger';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';

interface Watch {
  principal: Principal;
  ended: Subject<void>;
  refs: number;
}

/**
 * Whether a principal that authenticated earlier (a live ticket's, an open stream's) still may: the user exists, is
 * not disabled and has the token version it had (no password change since); the API key is not revoked. Open live
 * streams are re-checked every LIVE_RECHECK_MS in one query per kind, whatever changed the row (API, psql, replica).
 */
@Injectable()
export class PrincipalsService implements OnApplicationShutdown {
  private readonly watches = new Map<string, Watch>();
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly logger: JsonLogger,
  ) {}

  /** The principal as it is now (a user's role may have changed), or null when it may no longer authenticate. */
  async current(p: Principal): Promise<Principal | null> {
    if (p.kind === 'user') {
      const [u] = await this.users([p.id]);
      return u && !u.disabled && u.token_version === p.tokenVersion ? { ...p, role: u.role } : null;
    }
    const [k] = await this.keys([p.id]);
    return k ? { ...p, scopes: k.scopes, deviceScopes: k.device_scopes } : null;
  }

  /** Emits once, then completes, when the principal may no longer authenticate (checked every LIVE_RECHECK_MS). */
  ended(p: Principal): Observable<void> {
    const key = keyOf(p);
    return new Observable<void>((subscriber) => {
      let w = this.watches.get(key);
      if (!w) this.watches.set(key, (w = { principal: p, ended: new Subject<void>(), refs: 0 }));
      const watch = w;
      watch.refs++;
      const sub = watch.ended.subscribe(subscriber);
      this.timer ??= setInterval(() => void this.sweep(), this.config.LIVE_RECHECK_MS).unref();
      return () => {
        sub.unsubscribe();
        if (--watch.refs === 0 && this.watches.get(key) === watch) this.watches.delete(key);
        if (!this.watches.size) this.stop();
      };
    });
  }

  /** One query per kind for every watched principal; a failed check (database down) leaves the streams open. */
  async sweep(): Promise<void> {
    if (this.sweeping || !this.watches.size) return;
    this.sweeping = true;
    try {
      const all = [...this.watches.values()];
      const userIds = all.filter((w) => w.principal.kind === 'user').map((w) => w.principal.id);
      const keyIds = all.filter((w) => w.principal.kind === 'apiKey').map((w) => w.principal.id);
      const [users, keys] = await Promise.all([this.users(userIds), this.keys(keyIds)]);
      const userById = new Map(users.map((u) => [u.id, u]));
      const liveKeys = new Set(keys.map((k) => k.id));
      for (const [key, w] of this.watches) {
        const p = w.principal;
        const u = p.kind === 'user' ? userById.get(p.id) : undefined;
        const ok =
          p.kind === 'user' ? !!u && !u.disabled && u.token_version === p.tokenVersion : liveKeys.has(p.id);
        if (ok) continue;
        this.watches.delete(key);
        w.ended.next();
        w.ended.complete();
      }
    } catch (e) {
      this.logger.warn(
        { msg: 'live streams not re-checked', error: (e as Error).message },
        'PrincipalsService',
      );
    } finally {
      this.sweeping = false;
    }
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private users(ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query<{ id: string; role: Role; disabled: boolean; token_version: number }[]>(
      'SELECT id, role, disabled, token_version FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
  }

  private keys(ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return this.db.query<{ id: string; scopes: ApiKeyScope[]; device_scopes: string[] | null }[]>(
      'SELECT id, scopes, device_scopes FROM api_keys WHERE id = ANY($1::uuid[]) AND revoked_at IS NULL',
      [ids],
    );
  }
}

const keyOf = (p: Principal) => (p.kind === 'user' ? `u:${p.id}:${p.tokenVersion}` : `k:${p.id}`);
