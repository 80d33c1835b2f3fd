import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  StreamableFile,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { from, mergeMap, Observable, tap } from 'rxjs';

import { Principal } from '../decorators/principal.decorator';

export const CACHE_FOR_KEY = 'sensorhub:cache-for';

/**
 * Serve this GET route's JSON from memory for `ms` to every caller with the same URL and device scopes: under load many
 * dashboards ask the same question each second, and the answer is computed and serialised once. Guards still run on
 * every request. A successful change through this process (any other method) empties the cache, so one's own
 * writes show at once; data arriving from ingest shows within `ms` (the live stream carries it meanwhile).
 * Bodies of 1 KiB and more are also kept gzipped (once per entry, off the event loop) for clients that accept it:
 * a sparklines answer for 100 devices is 330 KB as JSON and about a tenth of that gzipped.
 */
export const CacheFor = (ms: number) => SetMetadata(CACHE_FOR_KEY, ms);

const MAX_ENTRIES = 2000;
const GZIP_MIN_BYTES = 1024;
const gzipAsync = promisify(gzip);

interface Entry {
  expires: number;
  /** the serialised body, or the computation in flight that concurrent callers wait for */
  body: Promise<string>;
  gzipped?: Promise<Buffer>;
}

@Injectable()
export class ResponseCacheInterceptor implements NestInterceptor {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (req.method !== 'GET') {
      return next.handle().pipe(tap({ next: () => this.entries.clear() }));
    }
    const ttl = this.reflector.get<number | undefined>(CACHE_FOR_KEY, ctx.getHandler());
    if (!ttl) return next.handle();
    const res = ctx.switchToHttp().getResponse<Response>();
    const wantsGzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    const scopes = req.user?.kind === 'apiKey' ? req.user.deviceScopes?.join(',') : undefined;
    const key = `${req.originalUrl}\u0000${scopes ?? '*'}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    // a string body with the JSON type set is sent as is by Nest's Express adapter; bytes go as a StreamableFile
    const send = (entry: Entry, json: string): Promise<string | StreamableFile> => {
      res.type('application/json');
      res.vary('Accept-Encoding');
      if (!wantsGzip || json.length < GZIP_MIN_BYTES) return Promise.resolve(json);
      entry.gzipped ??= gzipAsync(json);
      return entry.gzipped.then((gz) => {
        res.setHeader('Content-Encoding', 'gzip');
        return new StreamableFile(gz, { type: 'application/json; charset=utf-8', length: gz.length });
      });
    };
    if (hit && hit.expires > now) return from(hit.body).pipe(mergeMap((json) => send(hit, json)));

    if (this.entries.size >= MAX_ENTRIES) this.sweep(now);
    let resolve!: (body: string) => void;
    let reject!: (e: unknown) => void;
    const body = new Promise<string>((ok, fail) => ((resolve = ok), (reject = fail)));
    body.catch(() => undefined);
    const entry: Entry = { expires: now + ttl, body };
    this.entries.set(key, entry);
    return next.handle().pipe(
      mergeMap((value) => {
        const json = JSON.stringify(value);
        resolve(json);
        entry.expires = Date.now() + ttl;
        return send(entry, json);
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
