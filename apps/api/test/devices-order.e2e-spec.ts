import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

/** GET /devices?sort=…: trouble first for the overview, and the table's columns, over the whole fleet (server-side). */
describe('devices in order', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let viewer: string;
  const http = () => request(app.getHttpServer());
  const ids = async (query: string) =>
    (
      await http().get(`/api/v1/devices?${query}`).auth(viewer, { type: 'bearer' }).expect(200)
    ).body.items.map((d: { id: string }) => d.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer']);
    ({ app } = await startApi(db.url, { DEVICE_OFFLINE_AFTER_SECONDS: '300' }));
    viewer = await login(app, 'viewer@example.com');
    await db.client.query(
      `INSERT INTO devices (id, name, first_seen, last_seen, online, battery) VALUES
        ('a-fine', 'A fine', now(), now() - interval '10 seconds', true, 90),
        ('b-stale', 'B stale', now(), now() - interval '1 hour', true, 80),
        ('c-lowbat', 'C low battery', now(), now(), NULL, 12),
        ('d-off', 'D offline', now(), now() - interval '3 days', NULL, 60),
        ('e-alert', 'E alerting', now(), now(), true, NULL),
        ('f-fine', 'F fine', now(), now() - interval '1 minute', NULL, NULL)`,
    );
    const [{ id: rule }] = (
      await db.client.query<{ id: string }>(
        `INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity)
         VALUES ('hot', 'all', 'temperature', 'above', 30, 28, 'warning') RETURNING id`,
      )
    ).rows;
    await db.client.query(
      `INSERT INTO alerts (rule_id, device_id, metric, severity, state, value, started_at, fired_at) VALUES
        ($1, 'e-alert', 'temperature', 'warning', 'firing', 31, now(), now()),
        ($1, 'a-fine', 'temperature', 'warning', 'resolved', 31, now() - interval '1 day', now() - interval '1 day')`,
      [rule],
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('puts trouble first: a firing alert, offline, low battery, silent though present; then the rest by name', async () => {
    expect(await ids('sort=trouble')).toEqual([
      'e-alert',
      'd-off',
      'c-lowbat',
      'b-stale',
      'a-fine',
      'f-fine',
    ]);
    // paged in the same order: the second page goes on where the first stopped
    expect(await ids('sort=trouble&limit=2&offset=2')).toEqual(['c-lowbat', 'b-stale']);
  });

  it('orders by name (default), last seen and battery, either way', async () => {
    expect(await ids('')).toEqual(['a-fine', 'b-stale', 'c-lowbat', 'd-off', 'e-alert', 'f-fine']);
    expect(await ids('sort=-name')).toEqual(['f-fine', 'e-alert', 'd-off', 'c-lowbat', 'b-stale', 'a-fine']);
    expect((await ids('sort=lastSeen')).slice(0, 2)).toEqual(['d-off', 'b-stale']);
    expect(await ids('sort=battery')).toEqual([
      'c-lowbat',
      'd-off',
      'b-stale',
      'a-fine',
      'e-alert',
      'f-fine',
    ]);
    expect((await ids('sort=-battery')).slice(0, 4)).toEqual(['a-fine', 'b-stale', 'd-off', 'c-lowbat']);
  });

  it('refuses an unknown order, naming the choices', async () => {
    const res = await http().get('/api/v1/devices?sort=size').auth(viewer, { type: 'bearer' }).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/sort must be one of name, -name, trouble/);
  });
});
