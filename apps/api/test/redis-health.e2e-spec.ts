import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { OwnRedis, redisInstalled } from '../../../test/support/redis';

// With ingest's Redis stream output in use, /health tells whether its Redis answers: while it does not, ingest holds
// acknowledgements, and an operator must see why.
describe('health with REDIS_URL', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-redis-health-'));
  const redis = new OwnRedis(dir);

  beforeAll(async () => {
    if (!redisInstalled()) throw new Error('this test needs redis-server (CI installs it)');
    db = await createTestDatabase();
    ({ app } = await startApi(db.url, { REDIS_URL: await redis.start() }));
  });
  afterAll(async () => {
    await app?.close();
    await redis.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const health = () => request(app.getHttpServer()).get('/api/v1/health');

  it('reports Redis up, then down (503) while it is stopped, then up again', async () => {
    await waitFor(async () => (await health()).status === 200, 10_000, 'healthy');
    expect((await health()).body.info.redis).toEqual({ status: 'up' });
    await redis.stop();
    const down = await waitFor(
      async () => {
        const r = await health();
        return r.status === 503 && r;
      },
      10_000,
      'unhealthy',
    );
    expect(down.body.details.error.redis).toEqual({ status: 'down', message: 'not reachable' });
    await redis.start();
    await waitFor(async () => (await health()).status === 200, 15_000, 'healthy again');
  });
});
