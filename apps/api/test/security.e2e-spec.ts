import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { Role } from '@sensorhub/domain';

import { createUsers, login, startApi, TEST_PASSWORD } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { openSse } from '../../../test/support/sse';

/** Sessions, credentials, device scopes, caps and headers, through the real app on a real PostgreSQL (issue 17). */
describe('security of sessions, credentials and devices', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let ids: Record<Role, string>;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    ids = await createUsers(db.client);
    ({ app } = await startApi(db.url, {
      LOGIN_THROTTLE_ADDRESS_LIMIT: '12',
      REFRESH_REUSE_GRACE_SECONDS: '0',
      LIVE_RECHECK_MS: '500',
      MAX_METRICS_PER_MESSAGE: '5',
      MAX_METRICS_PER_DEVICE: '8',
      // no ingest here: an accepted packet is 202 (published, not committed) after this wait
      PACKET_COMMIT_WAIT_MS: '50',
    }));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    admin = await login(app, 'admin@example.com');
    await db.client.query(
      `INSERT INTO devices (id, name, first_seen, last_seen, online)
       SELECT id, NULL, now(), now(), id <> 'green-2' FROM unnest(ARRAY['green-1', 'green-2', 'w_1', 'wX1', 'other']) id`,
    );
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT d, 'temp', now() - interval '1 minute', 20 FROM unnest(ARRAY['green-1', 'w_1', 'wX1', 'other']) d`,
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** A user of its own per test, so revoking one test's sessions leaves the others alone. */
  async function newUser(role: Role = 'viewer'): Promise<{ id: string; email: string }> {
    const email = `u${Math.random().toString(36).slice(2, 10)}@example.com`;
    const res = await http()
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ email, password: TEST_PASSWORD, role })
      .expect(201);
    return { id: res.body.id, email };
  }

  async function session(
    email: string,
    password = TEST_PASSWORD,
  ): Promise<{ token: string; cookie: string }> {
    const res = await http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    return { token: res.body.accessToken, cookie: cookieOf(res) };
  }

  const cookieOf = (res: request.Response) =>
    (res.headers['set-cookie'] as unknown as string[])
      .find((c) => c.startsWith('sensorhub_refresh='))!
      .split(';')[0];

  const family = async (userId: string) =>
    (
      await db.client.query<{ revoked_reason: string | null; generation: number }>(
        'SELECT revoked_reason, generation FROM refresh_token_families WHERE user_id = $1 ORDER BY created_at',
        [userId],
      )
    ).rows;

  describe('1. refresh-token families', () => {
    it('rotates the cookie on refresh; after logout a copied cookie is 401 and the family is revoked', async () => {
      const u = await newUser();
      const s = await session(u.email);
      const refreshed = await http().post('/api/v1/auth/refresh').set('Cookie', s.cookie).expect(200);
      const next = cookieOf(refreshed);
      expect(next).not.toBe(s.cookie);

      await http().post('/api/v1/auth/logout').set('Cookie', next).expect(204);
      const res = await http().post('/api/v1/auth/refresh').set('Cookie', next).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      expect(await family(u.id)).toEqual([{ revoked_reason: 'logout', generation: 1 }]);
    });

    it('revokes the whole family when an already traded cookie comes back (reuse): the newest one stops too', async () => {
      const u = await newUser();
      const s = await session(u.email);
      const newest = cookieOf(await http().post('/api/v1/auth/refresh').set('Cookie', s.cookie).expect(200));
      const reused = await http().post('/api/v1/auth/refresh').set('Cookie', s.cookie).expect(401);
      expect(reused.body.message).toMatch(/reused/);
      await http().post('/api/v1/auth/refresh').set('Cookie', newest).expect(401);
      expect(await family(u.id)).toEqual([{ revoked_reason: 'reuse', generation: 1 }]);
    });
  });

  describe('2. password reset, own password change and disabling end sessions and tokens', () => {
    it('an admin password reset makes the old access token and refresh cookie 401', async () => {
      const u = await newUser();
      const s = await session(u.email);
      await http().get('/api/v1/auth/me').auth(s.token, { type: 'bearer' }).expect(200);
      await http()
        .post(`/api/v1/users/${u.id}/password`)
        .auth(admin, { type: 'bearer' })
        .send({ password: 'a-brand-new-password' })
        .expect(204);
      const res = await http().get('/api/v1/auth/me').auth(s.token, { type: 'bearer' }).expect(401);
      expect(res.body.message).toMatch(/revoked/);
      await http().post('/api/v1/auth/refresh').set('Cookie', s.cookie).expect(401);
      const fresh = await session(u.email, 'a-brand-new-password');
      await http().get('/api/v1/auth/me').auth(fresh.token, { type: 'bearer' }).expect(200);
    });

    it('a password changed in psql also ends the tokens (the rule is the database’s)', async () => {
      const u = await newUser();
      const s = await session(u.email);
      await db.client.query(`UPDATE users SET password_hash = 'x' || password_hash WHERE id = $1`, [u.id]);
      await new Promise((r) => setTimeout(r, 1100)); // the guard's per-user cache lives 1 s
      await http().get('/api/v1/auth/me').auth(s.token, { type: 'bearer' }).expect(401);
      await http().post('/api/v1/auth/refresh').set('Cookie', s.cookie).expect(401);
    });

    it('changing your own password ends your other sessions and starts a new one', async () => {
      const u = await newUser();
      const other = await session(u.email);
      const mine = await session(u.email);
      await http()
        .post('/api/v1/auth/password')
        .auth(mine.token, { type: 'bearer' })
        .send({ currentPassword: 'wrong', newPassword: 'my-new-password-42' })
        .expect(401);
      const res = await http()
        .post('/api/v1/auth/password')
        .auth(mine.token, { type: 'bearer' })
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'my-new-password-42' })
        .expect(200);
      await http().get('/api/v1/auth/me').auth(other.token, { type: 'bearer' }).expect(401);
      await http().post('/api/v1/auth/refresh').set('Cookie', other.cookie).expect(401);
      await http().get('/api/v1/auth/me').auth(mine.token, { type: 'bearer' }).expect(401);
      await http().get('/api/v1/auth/me').auth(res.body.accessToken, { type: 'bearer' }).expect(200);
      await http().post('/api/v1/auth/refresh').set('Cookie', cookieOf(res)).expect(200);
    });

    it('disabling a user revokes their refresh cookie', async () => {
      const u = await newUser();
      const s = await session(u.email);
      await http()
        .patch(`/api/v1/users/${u.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ disabled: true })
        .expect(200);
      await http()
        .patch(`/api/v1/users/${u.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ disabled: false })
        .expect(200);
      await http().post('/api/v1/auth/refresh').set('Cookie', s.cookie).expect(401);
      expect(await family(u.id)).toEqual([{ revoked_reason: 'credentials', generation: 0 }]);
    });
  });

  describe('3. live tickets and open streams follow their principal', () => {
    const ticketFor = async (auth: { token?: string; key?: string }) => {
      const req = http().post('/api/v1/live/ticket');
      if (auth.token) req.auth(auth.token, { type: 'bearer' });
      if (auth.key) req.set('X-API-Key', auth.key);
      return (await req.expect(200)).body.ticket as string;
    };
    const liveUrl = (ticket: string) => `${base}/api/v1/live?ticket=${encodeURIComponent(ticket)}`;

    it('refuses a ticket issued before its user was disabled, or its key revoked', async () => {
      const u = await newUser();
      const { token } = await session(u.email);
      const ticket = await ticketFor({ token });
      await http()
        .patch(`/api/v1/users/${u.id}`)
        .auth(admin, { type: 'bearer' })
        .send({ disabled: true })
        .expect(200);
      await http()
        .get(`/api/v1/live?ticket=${encodeURIComponent(ticket)}`)
        .expect(401);

      const key = await http()
        .post('/api/v1/api-keys')
        .auth(admin, { type: 'bearer' })
        .send({ name: 'live', scopes: ['read'] })
        .expect(201);
      const keyTicket = await ticketFor({ key: key.body.key });
      await http().delete(`/api/v1/api-keys/${key.body.id}`).auth(admin, { type: 'bearer' }).expect(204);
      await http()
        .get(`/api/v1/live?ticket=${encodeURIComponent(keyTicket)}`)
        .expect(401);
    });

    it('ends an open stream within seconds of its user being disabled, and of its key being revoked', async () => {
      const u = await newUser();
      const { token } = await session(u.email);
      const key = await http()
        .post('/api/v1/api-keys')
        .auth(admin, { type: 'bearer' })
        .send({ name: 'stream', scopes: ['read'] })
        .expect(201);
      const [userStream, keyStream, bystander] = await Promise.all([
        openSse(liveUrl(await ticketFor({ token }))),
        openSse(liveUrl(await ticketFor({ key: key.body.key }))),
        openSse(liveUrl(await ticketFor({ token: admin }))),
      ]);
      try {
        for (const s of [userStream, keyStream, bystander]) expect(s.status).toBe(200);
        const ended = (s: typeof userStream) =>
          Promise.race([s.ended.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);

        await http()
          .patch(`/api/v1/users/${u.id}`)
          .auth(admin, { type: 'bearer' })
          .send({ disabled: true })
          .expect(200);
        expect(await ended(userStream)).toBe(true);
        await http().delete(`/api/v1/api-keys/${key.body.id}`).auth(admin, { type: 'bearer' }).expect(204);
        expect(await ended(keyStream)).toBe(true);
        expect(await ended(bystander)).toBe(false);
        expect(bystander.events.map((e) => e.event)).toContain('ready');
      } finally {
        for (const s of [userStream, keyStream, bystander]) s.close();
      }
    });
  });

  describe('5. JSON bodies only', () => {
    it('answers 415 to a form-encoded or text/plain login (no CORS preflight for those)', async () => {
      const form = await http()
        .post('/api/v1/auth/login')
        .type('form')
        .send({ email: 'admin@example.com', password: TEST_PASSWORD })
        .expect(415);
      expect(form.body).toEqual({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringContaining('JSON'),
      });
      await http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ email: 'admin@example.com', password: TEST_PASSWORD }))
        .expect(415);
      await http()
        .patch('/api/v1/devices/green-1')
        .auth(admin, { type: 'bearer' })
        .type('form')
        .send({ name: 'x' })
        .expect(415);
    });
  });

  describe('6. API keys bound to devices', () => {
    let key: string;
    beforeAll(async () => {
      const res = await http()
        .post('/api/v1/api-keys')
        .auth(admin, { type: 'bearer' })
        .send({ name: 'greenhouse', scopes: ['read', 'write'], devices: ['green-*', 'w_1'] })
        .expect(201);
      expect(res.body.devices).toEqual(['green-*', 'w_1']);
      key = res.body.key;
    });

    it('refuses packets, commands, reads and streams of other devices with 403', async () => {
      const other = await http()
        .post('/api/v1/packets')
        .set('X-API-Key', key)
        .send({
          device_id: 'other',
          measurements: { temp: 1 },
        });
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('other') });
      await http()
        .post('/api/v1/packets')
        .set('X-API-Key', key)
        .send({ device_id: 'green-9', measurements: { temp: 1 } })
        .expect(202);
      await http()
        .post('/api/v1/devices/other/commands')
        .set('X-API-Key', key)
        .send({ command: 'ping' })
        .expect(403);
      await http().get('/api/v1/devices/other').set('X-API-Key', key).expect(403);
      await http().get('/api/v1/devices/wX1').set('X-API-Key', key).expect(403); // `_` is not a wildcard
      await http().get('/api/v1/devices/green-1').set('X-API-Key', key).expect(200);
      await http().get('/api/v1/devices/other/readings?metric=temp').set('X-API-Key', key).expect(403);
      await http().get('/api/v1/devices/other/readings/export').set('X-API-Key', key).expect(403);
      await http().get('/api/v1/sparklines?devices=green-1,other').set('X-API-Key', key).expect(403);
      await http().get('/api/v1/live?deviceId=other').set('X-API-Key', key).expect(403);
    });

    it('lists only its devices, in the devices list and in messages', async () => {
      const list = await http().get('/api/v1/devices').set('X-API-Key', key).expect(200);
      expect(list.body.items.map((d: { id: string }) => d.id)).toEqual(['green-1', 'green-2', 'w_1']);
      expect(list.body).toMatchObject({ total: 3, fleetTotal: 3 });
      const messages = await http().get('/api/v1/messages?key=temp').set('X-API-Key', key).expect(200);
      expect(messages.body.items.map((m: { deviceId: string }) => m.deviceId).sort()).toEqual([
        'green-1',
        'w_1',
      ]);
      expect(messages.body.total).toBe(2);
    });

    it('refuses bad device patterns when creating a key', async () => {
      await http()
        .post('/api/v1/api-keys')
        .auth(admin, { type: 'bearer' })
        .send({ name: 'bad', scopes: ['read'], devices: ['a/b'] })
        .expect(400);
    });
  });

  describe('11. metric caps and the paged devices list', () => {
    it('refuses a packet over MAX_METRICS_PER_MESSAGE (400) and new metrics beyond MAX_METRICS_PER_DEVICE (409)', async () => {
      const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`m${i}`, i]));
      const res = await http()
        .post('/api/v1/packets')
        .auth(admin, { type: 'bearer' })
        .send({ device_id: 'capped', measurements: many })
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'INVALID_PACKET',
        details: { field: 'measurements', reason: 'too_many_metrics' },
      });

      await db.client.query(
        `INSERT INTO readings (device_id, metric, ts, value) SELECT 'capped', 'm' || i, now(), i FROM generate_series(1, 8) i`,
      );
      const over = await http()
        .post('/api/v1/packets')
        .auth(admin, { type: 'bearer' })
        .send({ device_id: 'capped', measurements: { m1: 1, fresh: 2 } })
        .expect(409);
      expect(over.body.message).toMatch(/MAX_METRICS_PER_DEVICE/);
      await http()
        .post('/api/v1/packets')
        .auth(admin, { type: 'bearer' })
        .send({ device_id: 'capped', measurements: { m1: 1, m2: 2 } })
        .expect(202);
    });

    it('pages GET /devices with limit and offset, a total, search and presence filters', async () => {
      const page = await http()
        .get('/api/v1/devices?limit=2&offset=1')
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(page.body).toMatchObject({ limit: 2, offset: 1, total: 5, fleetTotal: 5, fleetOnline: 4 });
      expect(page.body.items.map((d: { id: string }) => d.id)).toEqual(['green-2', 'other']);
      expect(page.body.items[1].latest.temp).toMatchObject({ value: 20 });

      const found = await http().get('/api/v1/devices?q=GREEN').auth(admin, { type: 'bearer' }).expect(200);
      expect(found.body.items.map((d: { id: string }) => d.id)).toEqual(['green-1', 'green-2']);
      const offline = await http()
        .get('/api/v1/devices?status=offline')
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(offline.body).toMatchObject({ total: 1, items: [{ id: 'green-2' }] });
      const literal = await http().get('/api/v1/devices?q=w_').auth(admin, { type: 'bearer' }).expect(200);
      expect(literal.body.items.map((d: { id: string }) => d.id)).toEqual(['w_1']);
      await http().get('/api/v1/devices?limit=501').auth(admin, { type: 'bearer' }).expect(400);
    });
  });

  describe('12. security headers', () => {
    it('sends CSP, nosniff, frame and referrer policies on the API and Swagger UI, HSTS only over HTTPS', async () => {
      for (const path of ['/api/v1/ping', '/api/docs', '/api/v1/nothing-here']) {
        const res = await http().get(path);
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
      app.getHttpAdapter().getInstance().set('trust proxy', 'loopback');
      try {
        const https = await http().get('/api/v1/ping').set('X-Forwarded-Proto', 'https');
        expect(https.headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
      } finally {
        app.getHttpAdapter().getInstance().set('trust proxy', false);
      }
    });
  });

  describe('load: the 1-second response cache', () => {
    it('answers repeated reads from memory, gzipped when accepted, and shows a change made through the API at once', async () => {
      const list = () =>
        http().get('/api/v1/devices?q=green').auth(admin, { type: 'bearer' }).set('Accept-Encoding', 'gzip');
      const ids = (res: request.Response) => res.body.items.map((d: { id: string }) => d.id);
      expect(ids(await list().expect(200))).toEqual(['green-1', 'green-2']);
      // written past the API (as ingest does): the cached answer holds for up to a second
      await db.client.query(
        `INSERT INTO devices (id, first_seen, last_seen) VALUES ('green-3', now(), now())`,
      );
      expect(ids(await list().expect(200))).toEqual(['green-1', 'green-2']);

      await http()
        .patch('/api/v1/devices/green-1')
        .auth(admin, { type: 'bearer' })
        .send({ metadata: { note: 'n'.repeat(2000) } })
        .expect(200);
      const fresh = await list().expect(200);
      expect(ids(fresh)).toEqual(['green-1', 'green-2', 'green-3']);
      expect(fresh.body.items[0].metadata.note).toHaveLength(2000);
      expect(fresh.headers['content-encoding']).toBe('gzip');
      expect(fresh.headers['content-type']).toMatch(/^application\/json/);
      const plain = await http()
        .get('/api/v1/devices?q=green')
        .auth(admin, { type: 'bearer' })
        .set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toEqual(fresh.body);
    });
  });

  // last: it locks this test's address out of logging in
  describe('4. password spraying', () => {
    it('answers 429 with Retry-After once one address failed on many e-mails', async () => {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 27; i++) {
        const res = await http()
          .post('/api/v1/auth/login')
          .send({ email: `spray${i}@example.com`, password: 'Summer2026!' });
        statuses.push(res.status);
        if (res.status === 429) retryAfter ??= res.headers['retry-after'];
      }
      // the failures in the earlier tests of this file count too: at most 12 failures get a 401
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(12);
      expect(statuses.slice(12)).toEqual(Array(15).fill(429));
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // a right password from that address is refused as well until the window ends
      await http()
        .post('/api/v1/auth/login')
        .send({ email: 'viewer@example.com', password: TEST_PASSWORD })
        .expect(429);
      expect(ids.viewer).toBeDefined();
    });
  });
});
