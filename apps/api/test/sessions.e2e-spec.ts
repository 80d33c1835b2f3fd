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
    ({ app } = await startApi(db.url, { REFRESH_TTL: '4s', REFRESH_MAX_AGE: '9s' }));
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

  it('a session refreshed every 2 s outlives REFRESH_TTL (4 s), and ends at REFRESH_MAX_AGE (9 s) after login', async () => {
    let cookie = await login();
    expect(maxAge(cookie)).toBe(4);
    const ages: number[] = [];
    for (let i = 0; i < 4; i++) {
      await sleep(2000);
      const r = await refresh(cookie);
      expect(r.status).toBe(200);
      cookie = cookieOf(r);
      ages.push(maxAge(cookie));
    }
    // at 2 s and 4 s a full REFRESH_TTL again; at 6 s and 8 s only what is left of the 9 s
    expect(ages.slice(0, 2)).toEqual([4, 4]);
    expect(ages[2]).toBeLessThanOrEqual(3);
    expect(ages[3]).toBeLessThanOrEqual(1);
    await sleep(2000);
    const res = await refresh(cookie).expect(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it('a session left unused for REFRESH_TTL ends', async () => {
    const cookie = await login();
    await sleep(4500);
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
