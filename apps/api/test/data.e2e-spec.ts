import { INestApplication } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import request from 'supertest';

import { commandTopic } from '@sensorhub/domain';

import { createUsers, login, startApi } from '../../../test/support/api';
import { brokerUrl, connectClient } from '../../../test/support/broker';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

const DAY = 86_400_000;

describe('devices, readings and messages', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let viewer: string;
  let operator: string;
  let admin: string;
  // a fixed 30-day window of 10-second readings ending at a whole hour
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const start = new Date(end.getTime() - 30 * DAY);
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client);
    ({ app } = await startApi(db.url));
    [viewer, operator, admin] = await Promise.all(
      ['viewer', 'operator', 'admin'].map((r) => login(app, `${r}@example.com`)),
    );
    await db.client.query(
      `INSERT INTO devices (id, name, first_seen, last_seen, status, online, battery) VALUES
        ('big', 'Greenhouse', $1, now(), 'ok', NULL, 87), ('quiet', NULL, $1, $1, NULL, NULL, NULL), ('gone', NULL, $1, now(), NULL, false, NULL)`,
      [start],
    );
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT 'big', 'temperature', t, 20 + 10 * sin(extract(epoch FROM t) / 5000.0) + (extract(epoch FROM t)::bigint % 7)
       FROM generate_series($1::timestamptz, $2::timestamptz - interval '10 seconds', interval '10 seconds') t`,
      [start, end],
    );
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value) VALUES ('big', 'humidity', $1, 41), ('big', 'humidity', $2, 42), ('quiet', 'temperature', $1, 5)`,
      [new Date(end.getTime() - 60_000), new Date(end.getTime() - 30_000)],
    );
    await db.client.query('ANALYZE readings');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lists devices with presence, status, battery and the latest value per metric', async () => {
    const res = await http().get('/api/v1/devices').auth(viewer, { type: 'bearer' }).expect(200);
    // by name, else id, ignoring case: big is the Greenhouse
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual(['gone', 'big', 'quiet']);
    expect(res.body).toMatchObject({ total: 3, limit: 100, offset: 0, fleetTotal: 3 });
    const [gone, big, quiet] = res.body.items;
    expect(big).toMatchObject({ name: 'Greenhouse', status: 'ok', battery: 87, online: true });
    expect(big.latest.humidity).toEqual({ value: 42, ts: new Date(end.getTime() - 30_000).toISOString() });
    expect(big.latest.temperature.ts).toBe(new Date(end.getTime() - 10_000).toISOString());
    expect(gone.online).toBe(false); // the Last Will said offline, however recent last_seen
    expect(quiet).toMatchObject({ online: false, latest: { temperature: { value: 5 } } });
  });

  it('gets, updates and 404s a device', async () => {
    await http().get('/api/v1/devices/missing').auth(viewer, { type: 'bearer' }).expect(404);
    const res = await http()
      .patch('/api/v1/devices/quiet')
      .auth(operator, { type: 'bearer' })
      .send({ name: 'Cellar', location: 'B2', metadata: { floor: -1 } })
      .expect(200);
    expect(res.body).toMatchObject({ id: 'quiet', name: 'Cellar', location: 'B2', metadata: { floor: -1 } });
    await http()
      .patch('/api/v1/devices/quiet')
      .auth(operator, { type: 'bearer' })
      .send({ metadata: 'x' })
      .expect(400);
    expect(
      (await http().get('/api/v1/devices/quiet').auth(viewer, { type: 'bearer' }).expect(200)).body.name,
    ).toBe('Cellar');
  });

  it('downsamples 30 days of 10-second data to at most 1000 buckets whose min/max match the raw data', async () => {
    const res = await http()
      .get('/api/v1/devices/big/readings')
      .query({ metric: 'temperature', from: start.toISOString(), to: end.toISOString() })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.bucketSeconds).toBe(3600);
    expect(res.body.points.length).toBeLessThanOrEqual(1000);
    expect(res.body.points.length).toBe(720);
    const { rows } = await db.client.query(
      `SELECT date_trunc('hour', ts) AS h, min(value), max(value), count(*)::int FROM readings
       WHERE device_id = 'big' AND metric = 'temperature' GROUP BY 1 ORDER BY 1`,
    );
    expect(
      res.body.points.map((p: { ts: string; min: number; max: number; count: number }) => [
        p.ts,
        p.min,
        p.max,
        p.count,
      ]),
    ).toEqual(rows.map((r) => [r.h.toISOString(), r.min, r.max, r.count]));
    expect(res.body.points.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(259_200);
  });

  it('keeps buckets exact over a range whose ends cut an hour, where the rollup covers only the whole hours', async () => {
    const from = new Date(start.getTime() + 7 * DAY + 25 * 60_000 + 5_000);
    const to = new Date(end.getTime() - 17 * 60_000);
    const res = await http()
      .get('/api/v1/devices/big/readings')
      .query({ metric: 'temperature', from: from.toISOString(), to: to.toISOString(), maxPoints: 400 })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.bucketSeconds).toBe(7200);
    const { rows } = await db.client.query(
      `SELECT date_bin('2 hours', ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS ts, min(value), avg(value), max(value), count(*)::int
       FROM readings WHERE device_id = 'big' AND metric = 'temperature' AND ts >= $1 AND ts < $2 GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
    type Point = { ts: string; min: number; avg: number; max: number; count: number };
    const points: Point[] = res.body.points;
    expect(points.map((p) => [p.ts, p.min, p.max, p.count])).toEqual(
      rows.map((r) => [r.ts.toISOString(), r.min, r.max, r.count]),
    );
    points.forEach((p, i) => expect(p.avg).toBeCloseTo(rows[i].avg, 9));
    expect(points[0].count).toBe(rows[0].count); // the cut first bucket counts only the readings from `from` on
  });

  it('builds local-day buckets of a whole-hour zone from the rollup with the same result as the raw readings', async () => {
    const res = await http()
      .get('/api/v1/devices/big/readings')
      .query({
        metric: 'temperature',
        from: start.toISOString(),
        to: end.toISOString(),
        maxPoints: 40,
        tz: 'America/New_York',
      })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.bucketSeconds).toBe(86_400);
    const { rows } = await db.client.query(
      `SELECT date_trunc('day', ts AT TIME ZONE 'America/New_York') AT TIME ZONE 'America/New_York' AS ts,
              min(value), max(value), count(*)::int
       FROM readings WHERE device_id = 'big' AND metric = 'temperature' GROUP BY 1 ORDER BY 1`,
    );
    expect(
      res.body.points.map((p: { ts: string; min: number; max: number; count: number }) => [
        p.ts,
        p.min,
        p.max,
        p.count,
      ]),
    ).toEqual(rows.map((r) => [r.ts.toISOString(), r.min, r.max, r.count]));
  });

  it('returns raw points when the range holds at most maxPoints readings', async () => {
    const res = await http()
      .get('/api/v1/devices/big/readings')
      .query({
        metric: 'temperature',
        from: new Date(end.getTime() - 100_000).toISOString(),
        to: end.toISOString(),
        maxPoints: 10,
      })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.bucketSeconds).toBeNull();
    expect(res.body.points).toHaveLength(10);
    expect(res.body.points[0]).toMatchObject({ count: 1 });
    expect(res.body.points[0].min).toBe(res.body.points[0].max);
  });

  it('starts day buckets at local midnight of tz', async () => {
    const res = await http()
      .get('/api/v1/devices/big/readings')
      .query({
        metric: 'temperature',
        from: start.toISOString(),
        to: end.toISOString(),
        maxPoints: 40,
        tz: 'Asia/Kolkata',
      })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.bucketSeconds).toBe(86_400);
    expect(res.body.points.length).toBeLessThanOrEqual(40);
    // Kolkata is UTC+05:30: local midnight is 18:30 UTC
    for (const p of res.body.points.slice(1)) expect(p.ts).toMatch(/T18:30:00\.000Z$/);
    const utc = await http()
      .get('/api/v1/devices/big/readings')
      .query({ metric: 'temperature', from: start.toISOString(), to: end.toISOString(), maxPoints: 40 })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    for (const p of utc.body.points) expect(p.ts).toMatch(/T00:00:00\.000Z$/);
  });

  it('rejects an unknown tz, a reversed range and maxPoints above the cap with VALIDATION_FAILED', async () => {
    for (const query of [
      { metric: 'temperature', tz: 'Mars/Olympus' },
      { metric: 'temperature', from: end.toISOString(), to: start.toISOString() },
      { metric: 'temperature', maxPoints: 10_001 },
      { metric: 'Bad Metric' },
    ]) {
      const res = await http()
        .get('/api/v1/devices/big/readings')
        .query(query)
        .auth(viewer, { type: 'bearer' })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('averages the last hour of every metric of many devices in one request, like a direct date_bin aggregation', async () => {
    // inside the window by minutes, so the API's now() and this test's agree on which rows count; metrics the
    // messages tests do not count
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT d, m, t, (extract(epoch FROM t)::bigint % 13) + length(m) + length(d)
       FROM unnest(ARRAY['spark-a', 'spark-b']) d, unnest(ARRAY['co2', 'lux']) m,
            generate_series(now() - interval '50 minutes', now() - interval '1 minute', interval '20 seconds') t`,
    );
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value) VALUES
        ('spark-a', 'co2', now() - interval '2 hours', 1000), ('spark-a', 'pressure', now() - interval '2 hours', 1000),
        ('spark-old', 'co2', now() - interval '61 minutes', 1000)`,
    );
    const res = await http()
      .get('/api/v1/sparklines')
      .query({ devices: 'spark-a,spark-old,spark-b,no-such-device', window: 3600, points: 30 })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body).toMatchObject({ window: 3600, points: 30, bucketSeconds: 125 }); // ⌈3600 / 29⌉
    const { rows } = await db.client.query(
      `SELECT device_id, metric, date_bin('125 seconds', ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS ts, avg(value)
       FROM readings WHERE device_id = ANY($1) AND ts >= now() - interval '1 hour'
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [['spark-a', 'spark-b', 'spark-old', 'no-such-device']],
    );
    type Series = { deviceId: string; metric: string; points: { ts: string; avg: number }[] };
    const series: Series[] = res.body.series;
    // spark-old (61 minutes ago), spark-a's pressure (2 hours ago) and the unknown id have no series
    expect(series.map((s) => `${s.deviceId}/${s.metric}`)).toEqual([
      'spark-a/co2',
      'spark-a/lux',
      'spark-b/co2',
      'spark-b/lux',
    ]);
    const got = series.flatMap((s) => s.points.map((p) => [s.deviceId, s.metric, p.ts, p.avg]));
    expect(got.map((g) => g.slice(0, 3))).toEqual(
      rows.map((r) => [r.device_id, r.metric, r.ts.toISOString()]),
    );
    got.forEach((g, i) => expect(g[3]).toBeCloseTo(rows[i].avg, 9));
    for (const s of series) expect(s.points.length).toBeLessThanOrEqual(30);
  });

  it('rejects a bad device list, window or points with VALIDATION_FAILED naming the field', async () => {
    const tooMany = Array.from({ length: 201 }, (_, i) => `d${i}`).join(',');
    for (const [query, field] of [
      [{ devices: 'spark-a,bad/id' }, 'devices'],
      [{ devices: '' }, 'devices'],
      [{}, 'devices'],
      [{ devices: tooMany }, 'devices'],
      [{ devices: 'spark-a', window: 59 }, 'window'],
      [{ devices: 'spark-a', points: 121 }, 'points'],
      [{ devices: 'spark-a', points: 1 }, 'points'],
    ] as const) {
      const res = await http()
        .get('/api/v1/sparklines')
        .query(query)
        .auth(viewer, { type: 'bearer' })
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field })],
      });
    }
  });

  it('streams the raw rows of a range as CSV without a cap', async () => {
    const res = await http()
      .get('/api/v1/devices/big/readings/export')
      .query({
        metric: 'temperature',
        from: new Date(end.getTime() - 2 * DAY).toISOString(),
        to: end.toISOString(),
      })
      .auth(viewer, { type: 'bearer' })
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = (res.body as string).trimEnd().split('\n');
    expect(lines[0]).toBe('device_id,metric,ts,value,unit');
    expect(lines).toHaveLength(1 + 2 * 8640);
    expect(lines[1]).toMatch(/^big,temperature,\d{4}-\d\d-\d\dT[\d:.]+Z,-?[\d.]+,°C$/);
  });

  it('finds readings of a metric and value newest first with the total count', async () => {
    const all = await http()
      .get('/api/v1/messages')
      .query({ key: 'humidity', limit: 1 })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(all.body).toEqual({
      total: 2,
      limit: 1,
      items: [
        {
          deviceId: 'big',
          metric: 'humidity',
          ts: new Date(end.getTime() - 30_000).toISOString(),
          value: 42,
        },
      ],
    });
    const one = await http()
      .get('/api/v1/messages')
      .query({ key: 'humidity', value: 41 })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(one.body.total).toBe(1);
    expect(one.body.items[0].value).toBe(41);
    const ranged = await http()
      .get('/api/v1/messages')
      .query({
        key: 'temperature',
        start_time: new Date(end.getTime() - 60_000).toISOString(),
        end_time: end.toISOString(),
      })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    // six of big's in the last minute (start inclusive, end exclusive) and quiet's one at its start
    expect(ranged.body.total).toBe(7);
    const oneDevice = await http()
      .get('/api/v1/messages')
      .query({ key: 'temperature', deviceId: 'quiet' })
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(oneDevice.body.total).toBe(1);
    expect(oneDevice.body.items).toEqual([expect.objectContaining({ deviceId: 'quiet', value: 5 })]);
    await http()
      .get('/api/v1/messages')
      .query({ key: 'temperature', deviceId: 'no/such' })
      .auth(viewer, { type: 'bearer' })
      .expect(400);
    await http().get('/api/v1/messages').auth(viewer, { type: 'bearer' }).expect(400);
  });

  describe('over MQTT', () => {
    let sub: MqttClient;
    beforeAll(async () => {
      sub = await connectClient(brokerUrl());
      await sub.subscribeAsync(commandTopic('big'), { qos: 1 });
    });
    afterAll(async () => {
      await sub?.endAsync();
    });

    it('publishes a command as JSON to devices/{id}/cmd and 404s an unknown device', async () => {
      const received = new Promise<string>((resolve) =>
        sub.once('message', (_t, p) => resolve(p.toString())),
      );
      const res = await http()
        .post('/api/v1/devices/big/commands')
        .auth(operator, { type: 'bearer' })
        .send({ command: 'interval', seconds: 60 })
        .expect(202);
      expect(res.body.topic).toBe('devices/big/cmd');
      expect(JSON.parse(await received)).toEqual({ command: 'interval', seconds: 60 });
      await http()
        .post('/api/v1/devices/missing/commands')
        .auth(operator, { type: 'bearer' })
        .send({ command: 'ping' })
        .expect(404);
      await http()
        .post('/api/v1/devices/big/commands')
        .auth(operator, { type: 'bearer' })
        .send({ command: 'interval' })
        .expect(400);
    });
  });

  it('answers 400 INVALID_PACKET naming the failing field of a bad packet', async () => {
    const cases: [object, string, string][] = [
      [
        { device_id: 'a1', measurements: { temperature: 'hot' } },
        'measurements.temperature',
        'INVALID_VALUE',
      ],
      [{ device_id: 'a1', measurements: { 'Bad-Metric': 1 } }, 'measurements.Bad-Metric', 'INVALID_METRIC'],
      [
        { device_id: 'a1', measurements: { t: 1 }, timestamp: '2001-01-01T00:00:00Z' },
        'timestamp',
        'TIMESTAMP_OUT_OF_RANGE',
      ],
      [{ device_id: 'a1', measurements: { t: 1 }, battery: 140 }, 'battery', 'INVALID_BATTERY'],
      [{ device_id: 'a/1', measurements: { t: 1 } }, 'device_id', 'INVALID_TOPIC'],
      [{ device_id: 'a1', measurements: [] }, 'measurements', 'INVALID_PAYLOAD'],
    ];
    for (const [body, field, reason] of cases) {
      const res = await http()
        .post('/api/v1/packets')
        .auth(operator, { type: 'bearer' })
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_PACKET', details: { field, reason } });
    }
  });

  it('deletes a device with its readings and their hourly rollup', async () => {
    await http().delete('/api/v1/devices/big').auth(admin, { type: 'bearer' }).expect(204);
    const { rows } = await db.client.query(`SELECT count(*)::int AS n FROM readings WHERE device_id = 'big'`);
    expect(rows[0].n).toBe(0);
    const hourly = await db.client.query(
      `SELECT count(*)::int AS n FROM readings_hourly WHERE device_id = 'big'`,
    );
    expect(hourly.rows[0].n).toBe(0);
    await http().get('/api/v1/devices/big').auth(viewer, { type: 'bearer' }).expect(404);
    await http().delete('/api/v1/devices/big').auth(admin, { type: 'bearer' }).expect(404);
  });
});
