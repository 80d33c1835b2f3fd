import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createUsers, startApi, TEST_PASSWORD } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { validateApiConfig } from '../src/config/api.config';

// Behind nginx (docker-compose): every request comes from nginx's address; only TRUST_PROXY lets the api see the client.
describe('TRUST_PROXY and METRICS_TOKEN', () => {
  let db: TestDatabase;
  const apps: INestApplication[] = [];

  const api = async (env: Record<string, string>) => {
    const { app } = await startApi(db.url, { THROTTLE_LIMIT: '3', ...env });
    apps.push(app);
    return app;
  };
  /** statuses of four requests each from two clients behind the same proxy */
  const twoClients = async (app: INestApplication) => {
    const statuses: Record<string, number[]> = { '203.0.113.7': [], '198.51.100.9': [] };
    for (let i = 0; i < 4; i++)
      for (const client of Object.keys(statuses)) {
        // unauthenticated: 401, until the throttler (which runs first) answers 429
        const res = await request(app.getHttpServer()).get('/api/v1/ping').set('X-Forwarded-For', client);
        statuses[client].push(res.status);
      }
    return statuses;
  };
  const loginCookie = async (app: INestApplication) => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ email: 'admin@example.com', password: TEST_PASSWORD })
      .expect(200);
    return String(res.headers['set-cookie']);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['admin']);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  it('with TRUST_PROXY=1, throttles each forwarded client on its own and marks the refresh cookie Secure over https', async () => {
    const app = await api({ TRUST_PROXY: '1' });
    const statuses = await twoClients(app);
    expect(statuses).toEqual({ '203.0.113.7': [401, 401, 401, 429], '198.51.100.9': [401, 401, 401, 429] });
    expect(await loginCookie(app)).toMatch(/sensorhub_refresh=.*; Secure/);
  });

  it('without it, ignores X-Forwarded-* (a client cannot pick its bucket): one shared bucket, no Secure', async () => {
    const app = await api({});
    const statuses = await twoClients(app);
    expect(statuses).toEqual({ '203.0.113.7': [401, 401, 429, 429], '198.51.100.9': [401, 429, 429, 429] });
    expect(await loginCookie(app)).not.toMatch(/Secure/);
  });

  it('rejects a bad TRUST_PROXY naming the key', () => {
    for (const bad of ['yes', '10.0.0.0/33', 'nginx', '1,2'])
      expect(() => validateApiConfig({ ...base(), TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    for (const good of ['1', 'loopback', '10.0.0.0/8, uniquelocal', '::1'])
      expect(validateApiConfig({ ...base(), TRUST_PROXY: good }).TRUST_PROXY).toBe(good);
  });

  it('with METRICS_TOKEN, answers /metrics only to a bearer of the token', async () => {
    const token = 'scrape-token-0123456789';
    const app = await api({ METRICS_TOKEN: token, THROTTLE_LIMIT: '1000' });
    const none = await request(app.getHttpServer()).get('/metrics').expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    await request(app.getHttpServer())
      .get('/metrics')
      .auth('wrong-token-0123456789', { type: 'bearer' })
      .expect(401);
    const ok = await request(app.getHttpServer()).get('/metrics').auth(token, { type: 'bearer' }).expect(200);
    expect(ok.text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  const base = () => ({
    DATABASE_URL: db.url,
    MQTT_URL: 'mqtt://127.0.0.1:1883',
    JWT_SECRET: 'x'.repeat(32),
  });
});
