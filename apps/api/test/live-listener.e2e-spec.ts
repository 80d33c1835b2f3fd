import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { LIVE_CHANNEL } from '@sensorhub/domain';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { openSse } from '../../../test/support/sse';

// The API's LISTEN connection on its own: anyone with database access can NOTIFY on the channel, and the database
// can drop the connection. Neither may end the live stream.
describe('live listener', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer']);
    ({ app } = await startApi(db.url));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    token = await login(app, 'viewer@example.com');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function stream() {
    const { body } = await request(app.getHttpServer())
      .post('/api/v1/live/ticket')
      .auth(token, { type: 'bearer' })
      .expect(200);
    const sse = await openSse(`${base}/api/v1/live?ticket=${encodeURIComponent(body.ticket)}`);
    await waitFor(async () => sse.events.some((e) => e.event === 'ready'), 5000, 'ready event');
    return sse;
  }
  const notify = (payload: string) => db.client.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, payload]);
  const reading = (value: number) =>
    JSON.stringify({ readings: [['dev-1', 'temperature', Date.now(), value]], devices: [] });
  const readings = (events: { event: string; data: unknown }[]) =>
    events
      .filter((e) => e.event === 'readings')
      .flatMap((e) => (e.data as { value: number }[]).map((r) => r.value));

  it('skips a malformed or empty notification and keeps streaming the next ones', async () => {
    const sse = await stream();
    try {
      await notify('not json at all');
      await notify('');
      await notify(reading(1.5));
      await waitFor(async () => readings(sse.events).length > 0, 5000, 'the valid reading');
      expect(readings(sse.events)).toEqual([1.5]);
    } finally {
      sse.close();
    }
  });

  it('listens again after the database drops its connection', async () => {
    const sse = await stream();
    try {
      const { rowCount } = await db.client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query = $1 AND pid <> pg_backend_pid()`,
        [`LISTEN ${LIVE_CHANNEL}`],
      );
      expect(rowCount).toBe(1);
      // the API reconnects after a short pause; notifications sent meanwhile are lost (live screens only)
      await waitFor(
        async () => {
          await notify(reading(2.5));
          await new Promise((r) => setTimeout(r, 200));
          return readings(sse.events).includes(2.5);
        },
        10_000,
        'a reading after the reconnect',
      );
    } finally {
      sse.close();
    }
  });
});
