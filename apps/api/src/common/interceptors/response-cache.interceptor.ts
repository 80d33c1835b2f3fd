import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { from, map, Observable, tap } from 'rxjs';

import { Principal } from '../decorators/principal.decorator';

export const CACHE_FOR_KEY = 'sensorhub:cache-for';

/**
 * Serve this GET route's JSON from memory for `ms` to every caller with the same URL and device scopes: under load many
 * dashboards ask the same question each second, and the answer is computed and serialised once. Guards still run on
 * every request. A successful change through this process (any other method) empties the cache, so one's own
 * writes show at once; data arriving from ingest shows within `ms` (the live stream carries it meanwhile).
 */
export const CacheFor = (ms: number) => SetMetadata(CACHE_FOR_KEY, ms);

const MAX_ENTRIES = 2000;

interface Entry {
  expires: number;
  /** the serialised body, or the computation in flight that concurrent callers wait for */
  body: Promise<string>;
}

@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (req.method !== 'GET') {
      return next.handle().pipe(tap({ complete: () => this.entries.clear() }));
    }
    const ttl = this.reflector.get<number | undefined>(CACHE_FOR_KEY, ctx.getHandler());
    if (!ttl) return next.handle();
    const res = ctx.switchToHttp().getResponse<Response>();
    const scopes = req.user?.kind === 'apiKey' ? req.user.deviceScopes?.join(',') : undefined;
    const key = `${req.originalUrl}\u0000${scopes ?? '*'}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    // a string body with the JSON type set is sent as is by Nest's Express adapter
    const send = (body: string) => (res.type('application/json'), body);
    if (hit && hit.expires > now) return from(hit.body).pipe(map(send));

    if (this.entries.size >= MAX_ENTRIES) this.sweep(now);
    let resolve!: (body: string) => void;
    let reject!: (e: unknown) => void;
    const body = new Promise<string>((ok, fail) => ((resolve = ok), (reject = fail)));
    body.catch(() => undefined);
    const entry: Entry = { expires: now + ttl, body };
    this.entries.set(key, entry);
    return next.handle().pipe(
      map((value) => {
        const json = JSON.stringify(value);
        resolve(json);
        entry.expires = Date.now() + ttl;
        return send(json);
      }),
      tap({
        error: (e) => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
          reject(e);
        },
      }),
    );
  }

  private sweep(now: number): void {
    for (const [k, e] of this.entries) if (e.expires <= now) this.entries.delete(k);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
  }
}
