import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';

describe('operations: health, metrics, throttling, /rereadenv', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let admin: string;
  const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-api-')), '.env');

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['admin']);
    fs.writeFileSync(envFile, 'LOG_LEVEL=error\n');
    ({ app } = await startApi(db.url, { ENV_FILE: envFile, THROTTLE_LIMIT: '100000' }));
    admin = await login(app, 'admin@example.com');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('reports database and broker up on /health', async () => {
    await waitFor(
      async () => (await request(app.getHttpServer()).get('/api/v1/health')).status === 200,
      5000,
      'broker connected',
    );
    const res = await request(app.getHttpServer()).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, broker: { status: 'up' } },
    });
  });

  it('exposes request durations by route template and process metrics on /metrics', async () => {
    await request(app.getHttpServer()).get('/api/v1/ping').auth(admin, { type: 'bearer' }).expect(200);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/ping"/);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(res.text).toMatch(/^sse_clients 0$/m);
  });

  it('answers an unknown route with 404 NOT_FOUND in the error shape', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'no route GET /api/v1/nothing-here',
    });
  });

  it('re-reads .env: applies rate limits at once, reports changes, keeps secrets out of the report', async () => {
    fs.writeFileSync(
      envFile,
      'LOG_LEVEL=warn\nTHROTTLE_LIMIT=3\nTHROTTLE_TTL_MS=60000\nJWT_SECRET=another-secret-that-is-long-enough-to-pass\n',
    );
    // POST is the documented form; GET (the original spec's) answers the same
    const res = await request(app.getHttpServer())
      .post('/api/v1/rereadenv')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(res.body).toEqual({
      file: envFile,
      changed: { LOG_LEVEL: { from: 'error', to: 'warn' }, THROTTLE_LIMIT: { from: 100000, to: 3 } },
      requiresRestart: ['JWT_SECRET'],
      ignored: [],
      catalog: { file: expect.stringMatching(/config\/metrics\.yaml$/), metrics: expect.any(Number) },
    });
    expect(JSON.stringify(res.body)).not.toContain('another-secret');
    const again = await request(app.getHttpServer())
      .get('/api/v1/rereadenv')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(again.body).toMatchObject({ changed: {}, requiresRestart: ['JWT_SECRET'] });

    // the new limit applies to the next requests: 429 THROTTLED with Retry-After
    const statuses: number[] = [];
    let last!: request.Response;
    for (let i = 0; i < 5; i++) {
      last = await request(app.getHttpServer()).get('/api/v1/ping').auth(admin, { type: 'bearer' });
      statuses.push(last.status);
    }
    expect(statuses.slice(-1)).toEqual([429]);
    expect(last.body).toMatchObject({ statusCode: 429, code: 'THROTTLED' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('operations with the broker down', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app } = await startApi(db.url, { MQTT_URL: 'mqtt://127.0.0.1:1' }));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers /health with 503 SERVICE_UNAVAILABLE naming the broker', async () => {
    const res = await request(app.getHttpServer()).get('/api/v1/health').expect(503);
    expect(res.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      details: { error: { broker: { status: 'down' } } },
    });
  });

  it('rejects an invalid .env value on /rereadenv naming the key', async () => {
    // no admin in this database: the validation is reached through the service directly
    const { SystemService } = await import('../src/system/system.service');
    const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-api-')), '.env');
    fs.writeFileSync(envFile, 'THROTTLE_LIMIT=lots\n');
    const system = app.get(SystemService);
    Object.assign((system as unknown as { config: { ENV_FILE: string } }).config, { ENV_FILE: envFile });
    await expect(system.rereadEnv()).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'THROTTLE_LIMIT', errors: ['invalid'] }],
    });
  });
});
