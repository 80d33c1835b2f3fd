import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { validateApiConfig } from '../src/config/api.config';
import { createUsers, startApi, TEST_JWT_SECRET, TEST_PASSWORD } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The refresh cookie slides while it is used (a wall screen stays signed in), within an absolute limit. */
describe('sliding sessions', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer']);
    ({ app } = await startApi(db.url, { REFRESH_TTL: '5s', REFRESH_MAX_AGE: '14s' }));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const cookieOf = (res: request.Response) =>
    (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sensorhub_refresh='))!;
  const maxAge = (cookie: string) => Number(/Max-Age=(\d+)/.exec(cookie)![1]);
  const login = async () =>
    cookieOf(
      await http()
        .post('/api/v1/auth/login')
        .send({ email: 'viewer@example.com', password: TEST_PASSWORD })
        .expect(200),
    );
  const refresh = (cookie: string) => http().post('/api/v1/auth/refresh').set('Cookie', cookie.split(';')[0]);

  it('a session refreshed every 2-4 s outlives REFRESH_TTL (5 s), and ends at REFRESH_MAX_AGE (14 s) after login', async () => {
    let cookie = await login();
    // the session's clock starts when the server recorded the login (same machine, same clock)
    const { rows } = await db.client.query<{ t: Date }>(
      'SELECT created_at AS t FROM refresh_token_families ORDER BY created_at DESC LIMIT 1',
    );
    const t0 = rows[0].t.getTime();
    const elapsed = () => Date.now() - t0;
    expect(maxAge(cookie)).toBe(5);
    const renewAt = async (ms: number) => {
      await sleep(Math.max(0, ms - elapsed()));
      const r = await refresh(cookie);
      expect([r.status, r.body.message]).toEqual([200, undefined]);
      cookie = cookieOf(r);
      return maxAge(cookie);
    };
    // far from the absolute limit each refresh gives a whole REFRESH_TTL again (Max-Age rounds to seconds)
    for (const at of [2000, 4000, 6000, 9500]) expect(await renewAt(at)).toBeGreaterThanOrEqual(4);
    // past REFRESH_TTL after the login and still going; near the limit only what is left of the 14 s
    expect(await renewAt(11_500)).toBeLessThanOrEqual(3);
    await sleep(Math.max(0, 14_500 - elapsed()));
    const res = await refresh(cookie).expect(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it('a session left unused for REFRESH_TTL ends', async () => {
    const cookie = await login();
    await sleep(5500);
    await refresh(cookie).expect(401);
  });

  it('refuses an absolute limit shorter than REFRESH_TTL at start-up, naming the key', () => {
    const env = { DATABASE_URL: 'postgres://x@y/z', MQTT_URL: 'mqtt://x', JWT_SECRET: TEST_JWT_SECRET };
    expect(() => validateApiConfig({ ...env, REFRESH_TTL: '12h', REFRESH_MAX_AGE: '1h' })).toThrow(
      /REFRESH_MAX_AGE: must be at least REFRESH_TTL/,
    );
    expect(() => validateApiConfig({ ...env, REFRESH_MAX_AGE: 'forever' })).toThrow(/REFRESH_MAX_AGE/);
  });
});
