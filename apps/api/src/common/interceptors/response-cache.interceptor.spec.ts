import { gunzipSync } from 'node:zlib';

import { CallHandler, ExecutionContext, StreamableFile } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, Observable, of } from 'rxjs';

import { CacheFor, ResponseCacheInterceptor } from './response-cache.interceptor';

class Handler {
  @CacheFor(1000)
  cached(): void {}

  @CacheFor(50)
  short(): void {}
}

function context(method: string, url: string, acceptGzip = false, handler = Handler.prototype.cached) {
  const headers: Record<string, string> = {};
  const res = {
    headers,
    type: (t: string) => (headers['content-type'] = t),
    vary: () => undefined,
    setHeader: (k: string, v: string) => (headers[k.toLowerCase()] = v),
  };
  const req = {
    method,
    originalUrl: url,
    acceptsEncodings: () => (acceptGzip ? 'gzip' : 'identity'),
  };
  const ctx = {
    getType: () => 'http',
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { ctx, headers };
}

describe(ResponseCacheInterceptor.name, () => {
  let computed: number;
  const handler = (value: unknown): CallHandler => ({
    handle: () =>
      new Observable((s) => {
        computed++;
        setTimeout(() => (s.next(value), s.complete()), 10);
      }),
  });

  beforeEach(() => (computed = 0));

  it('computes once for concurrent and repeated requests of the same URL, and again after a write', async () => {
    const cache = new ResponseCacheInterceptor(new Reflector());
    const get = () =>
      firstValueFrom(cache.intercept(context('GET', '/a').ctx, handler({ n: 1 })) as Observable<string>);
    expect(await Promise.all([get(), get(), get()])).toEqual(Array(3).fill('{"n":1}'));
    expect(await get()).toBe('{"n":1}');
    expect(computed).toBe(1);
    await firstValueFrom(cache.intercept(context('PATCH', '/a').ctx, { handle: () => of(null) }));
    await get();
    expect(computed).toBe(2);
  });

  it('serves a large body gzipped to clients that accept it, the same JSON to others', async () => {
    const cache = new ResponseCacheInterceptor(new Reflector());
    const big = { text: 'x'.repeat(5000) };
    const zipped = context('GET', '/big', true);
    const file = (await firstValueFrom(cache.intercept(zipped.ctx, handler(big)))) as StreamableFile;
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const chunks: Buffer[] = [];
    for await (const c of file.getStream()) chunks.push(c as Buffer);
    expect(JSON.parse(gunzipSync(Buffer.concat(chunks)).toString())).toEqual(big);
    const plain = context('GET', '/big');
    expect(await firstValueFrom(cache.intercept(plain.ctx, handler(big)))).toBe(JSON.stringify(big));
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(computed).toBe(1);
  });

  it('once stale, answers at once with the old body while one refresh runs, then with the new one', async () => {
    jest.useFakeTimers();
    try {
      const cache = new ResponseCacheInterceptor(new Reflector());
      let n = 0;
      const counting: CallHandler = {
        handle: () =>
          new Observable((s) => {
            n++;
            setTimeout(() => (s.next({ n }), s.complete()), 20);
          }),
      };
      const get = () =>
        firstValueFrom(
          cache.intercept(
            context('GET', '/s', false, Handler.prototype.short).ctx,
            counting,
          ) as Observable<string>,
        );
      const first = get();
      await jest.advanceTimersByTimeAsync(20);
      expect(await first).toBe('{"n":1}');
      await jest.advanceTimersByTimeAsync(60); // stale, within twice the lifetime of 50 ms
      // both answered from the old body although the refresh (n = 2) has not finished
      expect(await Promise.all([get(), get()])).toEqual(['{"n":1}', '{"n":1}']);
      expect(n).toBe(2);
      await jest.advanceTimersByTimeAsync(20);
      expect(await get()).toBe('{"n":2}');
      expect(n).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
