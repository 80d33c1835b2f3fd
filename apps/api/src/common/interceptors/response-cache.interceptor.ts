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
 * writes show at once. Once `ms` have passed, the next caller still gets the old answer while one refresh runs in
 * the background (for up to another `ms`), so callers never queue behind a recomputation: data arriving from ingest
 * shows within 2 × `ms` (the live stream carries it meanwhile).
 * Bodies of 1 KiB and more are also kept gzipped (once per entry, off the event loop) for clients that accept it:
 * a sparklines answer for 100 devices is 330 KB as JSON and about a tenth of that gzipped.
 */
export const CacheFor = (ms: number) => SetMetadata(CACHE_FOR_KEY, ms);

const MAX_ENTRIES = 2000;
const GZIP_MIN_BYTES = 1024;
const gzipAsync = promisify(gzip);

interface Entry {
  /** fresh until then; served while a refresh runs until staleUntil */
  expires: number;
  staleUntil: number;
  /** the serialised body, or the computation in flight that concurrent callers wait for */
  body: Promise<string>;
  ready: boolean;
  refreshing: boolean;
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
    const serve = (entry: Entry) => from(entry.body).pipe(mergeMap((json) => send(entry, json)));
    if (hit && hit.expires > now) return serve(hit);
    if (hit?.ready && hit.staleUntil > now) {
      if (!hit.refreshing) this.refresh(key, hit, next, ttl);
      return serve(hit);
    }

    if (this.entries.size >= MAX_ENTRIES) this.sweep(now);
    let resolve!: (body: string) => void;
    let reject!: (e: unknown) => void;
    const body = new Promise<string>((ok, fail) => ((resolve = ok), (reject = fail)));
    body.catch(() => undefined);
    const entry: Entry = {
      expires: now + ttl,
      staleUntil: now + 2 * ttl,
      body,
      ready: false,
      refreshing: false,
    };
    this.entries.set(key, entry);
    return next.handle().pipe(
      mergeMap((value) => {
        const json = JSON.stringify(value);
        resolve(json);
        entry.ready = true;
        entry.expires = Date.now() + ttl;
        entry.staleUntil = entry.expires + ttl;
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

  /** Recomputes a stale entry in the background (gzipping a large body before it replaces the old one). */
  private refresh(key: string, stale: Entry, next: CallHandler, ttl: number): void {
    stale.refreshing = true;
    next.handle().subscribe({
      next: (value) => {
        const json = JSON.stringify(value);
        const gzipped = json.length >= GZIP_MIN_BYTES ? gzipAsync(json) : undefined;
        void (gzipped ?? Promise.resolve())
          .then(() => {
            // a write in the meantime emptied the cache: this answer may predate it
            if (this.entries.get(key) !== stale) return;
            const now = Date.now();
            this.entries.set(key, {
              expires: now + ttl,
              staleUntil: now + 2 * ttl,
              body: Promise.resolve(json),
              ready: true,
              refreshing: false,
              gzipped,
            });
          })
          .catch(() => (stale.refreshing = false));
      },
      error: () => (stale.refreshing = false),
    });
  }

  private sweep(now: number): void {
    for (const [k, e] of this.entries) if (e.staleUntil <= now) this.entries.delete(k);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
  }
}
