import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { INestApplication } from '@nestjs/common';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** as it came over the wire, not decoded */
  body: Buffer;
}

const ROBOTS = path.resolve(__dirname, '../../web/public/robots.txt');

// The dashboard as the api serves it (WEB_DIST): compressed, hashed files cached for a year, index.html revalidated.
describe('the dashboard files and API JSON over the wire', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let token: string;
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-dist-'));
  // a chunk as Angular names it, large enough to be worth compressing
  const chunk = Array.from({ length: 2000 }, (_, i) => `export const v${i} = "value ${i}";`).join('\n');
  // a file with the compressed copies the build writes beside it (precompressDashboard)
  const main = Array.from({ length: 2000 }, (_, i) => `export const w${i} = ${i};`).join('\n');
  const builtCopies = { br: zlib.brotliCompressSync(main), gzip: zlib.gzipSync(main, { level: 9 }) };

  const get = (p: string, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      http
        .get(`${base}${p}`, { headers }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (b: Buffer) => parts.push(b));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
          );
        })
        .on('error', reject);
    });

  beforeAll(async () => {
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>SensorHub</title><app-root></app-root>',
    );
    fs.writeFileSync(path.join(dist, 'chunk-5WQFEXTB.js'), chunk);
    fs.writeFileSync(path.join(dist, 'chunk-Bp4yUZL_.js'), 'export const a = 1;');
    fs.writeFileSync(path.join(dist, 'chunk-g2-7zl1v.js'), 'export const b = 2;');
    fs.writeFileSync(path.join(dist, 'main-7QGDX2AB.js'), main);
    fs.writeFileSync(path.join(dist, 'main-7QGDX2AB.js.br'), builtCopies.br);
    fs.writeFileSync(path.join(dist, 'main-7QGDX2AB.js.gz'), builtCopies.gzip);
    fs.copyFileSync(ROBOTS, path.join(dist, 'robots.txt'));
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer']);
    ({ app } = await startApi(db.url, { WEB_DIST: dist }));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    token = await login(app, 'viewer@example.com');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('sends a hashed chunk brotli- or gzip-compressed as the browser accepts, cached for a year', async () => {
    const br = await get('/chunk-5WQFEXTB.js', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(chunk.length / 4);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(chunk);

    const gz = await get('/chunk-5WQFEXTB.js', { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(chunk);

    const plain = await get('/chunk-5WQFEXTB.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(chunk);
  });

  it('sends the copy compressed at build time as it is, when there is one, still cached for a year', async () => {
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await get('/main-7QGDX2AB.js', { 'Accept-Encoding': accept });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      // byte for byte the build's copy, not compressed again per request
      expect(res.body.equals(builtCopies[encoding])).toBe(true);
    }
    const plain = await get('/main-7QGDX2AB.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(main);
  });

  it('caches the chunks the build merges (rolldown names: mixed case, _ and -) for a year too', async () => {
    for (const name of ['chunk-Bp4yUZL_.js', 'chunk-g2-7zl1v.js']) {
      const res = await get(`/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('makes the browser revalidate index.html on every load, for the root and client-side routes alike', async () => {
    for (const p of ['/', '/devices/greenhouse-1']) {
      const res = await get(p, { Accept: 'text/html' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toContain('<app-root>');
    }
  });

  it('answers /robots.txt with the robots file, not the app', async () => {
    const res = await get('/robots.txt', { Accept: 'text/html,*/*' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body.toString()).toMatch(/^User-agent: \*\nDisallow: \/$/m);
  });

  it('compresses API JSON too, and never the live stream', async () => {
    const res = await get('/api/docs-json', { 'Accept-Encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(res.body).toString())).toHaveProperty('openapi');

    const ticket = await fetch(`${base}/api/v1/live/ticket`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json() as Promise<{ ticket: string }>);
    // the first event arrives at once, uncompressed, while the stream stays open
    const first = await new Promise<{ headers: http.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = http.get(
          `${base}/api/v1/live?ticket=${encodeURIComponent(ticket.ticket)}`,
          { headers: { 'Accept-Encoding': 'gzip, br', Accept: 'text/event-stream' } },
          (live) => {
            let text = '';
            live.on('data', (b: Buffer) => {
              text += b.toString();
              if (!text.includes('event: ready')) return;
              resolve({ headers: live.headers, text });
              req.destroy();
            });
          },
        );
        req.on('error', reject);
      },
    );
    expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.text).toContain('event: ready');
  });
});
