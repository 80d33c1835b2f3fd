import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';

import { LIVE_CHANNEL } from '@sensorhub/domain';

import { createUsers, login, startApi } from '../../../test/support/api';
import { OwnPostgres, waitFor } from '../../../test/support/database';
import { openSse } from '../../../test/support/sse';

import { createDatabase } from '../../../scripts/lib/databases';
import { freePort } from '../../../scripts/lib/embedded';

jest.setTimeout(120_000);

describe('API through a PostgreSQL outage (a server the test stops and starts)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-api-pg-'));
  let pg: OwnPostgres;
  let url: string;
  let app: INestApplication;
  let base: string;
  let viewer: string;

  beforeAll(async () => {
    pg = new OwnPostgres(path.join(dir, 'data'), await freePort());
    url = await createDatabase(await pg.start(), 'outage');
    const client = new Client({ connectionString: url });
    await client.connect();
    await createUsers(client, ['viewer']);
    await client.end();
    ({ app } = await startApi(url));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    viewer = await login(app, 'viewer@example.com');
  });

  afterAll(async () => {
    await app?.close();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After while it is down, and serves again once it is back', async () => {
    const http = () => request(app.getHttpServer());
    await http().get('/api/v1/devices').auth(viewer, { type: 'bearer' }).expect(200);
    await pg.stop();

    // another URL than the one just served: that answer may come from the 1-second response cache
    const down = await http().get('/api/v1/devices?offset=0').auth(viewer, { type: 'bearer' });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    const health = await http().get('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body.details.error.database.status).toBe('down');

    await pg.start();
    await waitFor(
      async () => (await http().get('/api/v1/devices').auth(viewer, { type: 'bearer' })).status === 200,
      30_000,
      'the API to serve again',
    );
  });

  it('resumes the live stream after the database came back (the LISTEN connection reconnects)', async () => {
    const { body } = await request(app.getHttpServer())
      .post('/api/v1/live/ticket')
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    const sse = await openSse(`${base}/api/v1/live?ticket=${encodeURIComponent(body.ticket)}`);
    const notifier = new Client({ connectionString: url });
    await notifier.connect();
    try {
      // until the listener is back, a NOTIFY is lost: send until one arrives
      const ts = Date.now();
      await waitFor(
        async () => {
          await notifier.query('SELECT pg_notify($1, $2)', [
            LIVE_CHANNEL,
            JSON.stringify({ readings: [['outage-1', 'temperature', ts, 4.5]], devices: [] }),
          ]);
          await new Promise((r) => setTimeout(r, 200));
          return sse.events.some((e) => e.event === 'readings');
        },
        30_000,
        'a live reading after the outage',
      );
      expect(sse.events.find((e) => e.event === 'readings')!.data).toEqual([
        { deviceId: 'outage-1', metric: 'temperature', ts: new Date(ts).toISOString(), value: 4.5 },
      ]);
    } finally {
      sse.close();
      await notifier.end();
    }
  });
});
