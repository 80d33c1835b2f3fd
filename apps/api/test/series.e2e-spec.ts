import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { refreshHourlyRollup } from '@sensorhub/domain';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

const DAY = 86_400_000;

// GET /series: a device page's every metric, or the compare chart's devices, in one request.
describe('several series in one request', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let viewer: string;
  let roomKey: string;
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const start = new Date(end.getTime() - 30 * DAY);
  const http = () => request(app.getHttpServer());
  const range = `from=${start.toISOString()}&to=${end.toISOString()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer', 'admin']);
    ({ app } = await startApi(db.url, { SERIES_MAX: '4' }));
    viewer = await login(app, 'viewer@example.com');
    const admin = await login(app, 'admin@example.com');
    await db.client.query(
      `INSERT INTO devices (id, first_seen, last_seen) VALUES ('freezer', $1, now()), ('room', $1, now())`,
      [start],
    );
    // 30 days each minute: a freezer around −19 °C, a room's temperature and humidity
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT d, m, t, CASE m WHEN 'humidity' THEN 45 + 5 * sin(extract(epoch FROM t) / 9000.0)
                             ELSE (CASE d WHEN 'freezer' THEN -19 ELSE 21 END) + 2 * sin(extract(epoch FROM t) / 4000.0) END
       FROM (VALUES ('freezer', 'temperature'), ('room', 'temperature'), ('room', 'humidity')) s(d, m),
            generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') t`,
      [start, end],
    );
    await db.client.query('ANALYZE readings');
    const key = await http()
      .post('/api/v1/api-keys')
      .auth(admin, { type: 'bearer' })
      .send({ name: 'room only', scopes: ['read'], devices: ['room'] })
      .expect(201);
    roomKey = key.body.key as string;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers every series of 30 days in the order asked, each exactly as the readings route does', async () => {
    const res = await http()
      .get(`/api/v1/series?series=room:humidity,freezer:temperature,room:temperature&${range}`)
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.from).toBe(start.toISOString());
    expect(res.body.to).toBe(end.toISOString());
    const got = res.body.series as { deviceId: string; metric: string; bucketSeconds: number }[];
    expect(got.map((s) => `${s.deviceId}:${s.metric}`)).toEqual([
      'room:humidity',
      'freezer:temperature',
      'room:temperature',
    ]);
    for (const s of got) {
      const one = await http()
        .get(`/api/v1/devices/${s.deviceId}/readings?metric=${s.metric}&${range}`)
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      expect(s).toEqual(one.body);
    }
    // one bucket width for all: the compare chart's lines share their x positions
    expect(new Set(got.map((s) => s.bucketSeconds)).size).toBe(1);
    const freezer = res.body.series[1].points as { min: number; max: number }[];
    expect(freezer.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...freezer.map((p) => p.max))).toBeLessThan(-16);
  });

  it('answers bucketed series exactly as the readings route does, whatever the width, cut hours and zone', async () => {
    // a device's bucketed series are read in one statement: each must still be what it is alone
    const cut = (ms: number) => new Date(ms).toISOString();
    const ranges = [
      `from=${cut(start.getTime() + 1_234_567)}&to=${cut(end.getTime() - 2_345_678)}`, // cut hours at both ends
      `from=${cut(end.getTime() - 2 * DAY - 754_321)}&to=${cut(end.getTime() - 123_456)}`, // 30-minute buckets
    ];
    const queries = [
      ...ranges.map((r) => `${r}&maxPoints=100`),
      `${ranges[0]}&maxPoints=20`, // whole days: the daily rollup
      `${ranges[0]}&maxPoints=20&tz=Europe/Berlin`, // local days from the hourly rollup
      `${ranges[0]}&maxPoints=20&tz=Asia/Kolkata`, // local days from the raw rows (half-hour offset)
    ];
    const widths = new Set<number>();
    for (const query of queries) {
      const res = await http()
        .get(`/api/v1/series?series=room:temperature,freezer:temperature,room:humidity&${query}`)
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      const got = res.body.series as { deviceId: string; metric: string; bucketSeconds: number }[];
      expect(got.map((s) => `${s.deviceId}:${s.metric}`)).toEqual([
        'room:temperature',
        'freezer:temperature',
        'room:humidity',
      ]);
      for (const s of got) {
        const one = await http()
          .get(`/api/v1/devices/${s.deviceId}/readings?metric=${s.metric}&${query}`)
          .auth(viewer, { type: 'bearer' })
          .expect(200);
        expect(s).toEqual(one.body);
        widths.add(s.bucketSeconds);
      }
    }
    expect([...widths].sort((a, b) => a - b)).toEqual([1800, 43_200, 172_800]);
  });

  it('rounds min, avg and max to digits= significant digits, and refuses digits outside 1-17', async () => {
    const url = `/api/v1/series?series=room:humidity,freezer:temperature&${range}`;
    const full = await http().get(url).auth(viewer, { type: 'bearer' }).expect(200);
    const short = await http().get(`${url}&digits=6`).auth(viewer, { type: 'bearer' }).expect(200);
    type Points = {
      series: { points: { ts: string; min: number; avg: number; max: number; count: number }[] }[];
    };
    const a = full.body as Points;
    const b = short.body as Points;
    const values = (x: Points) => x.series.flatMap((s) => s.points.flatMap((p) => [p.min, p.avg, p.max]));
    // the seeded sine has 17 digits; each rounded value is within 6 significant digits of the stored one
    expect(values(a).some((v) => String(Math.abs(v)).replace(/[.-]/g, '').length > 6)).toBe(true);
    expect(values(b).every((v) => Number(v.toPrecision(6)) === v)).toBe(true);
    const rounded = values(b);
    const worst = Math.max(...values(a).map((v, i) => Math.abs(rounded[i] - v) / Math.abs(v)));
    expect(worst).toBeLessThanOrEqual(5e-6);
    // the same buckets, times and counts
    expect(b.series.map((s) => s.points.map((p) => [p.ts, p.count]))).toEqual(
      a.series.map((s) => s.points.map((p) => [p.ts, p.count])),
    );
    expect(JSON.stringify(b).length).toBeLessThan(JSON.stringify(a).length * 0.8);
    for (const bad of ['0', '18', '2.5', 'x']) {
      const res = await http().get(`${url}&digits=${bad}`).auth(viewer, { type: 'bearer' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lists a series once when asked twice, and takes repeated series= parameters', async () => {
    const res = await http()
      .get(
        `/api/v1/series?series=room:humidity,room:humidity&series=freezer:temperature&${range}&maxPoints=10`,
      )
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body.series.map((s: { deviceId: string }) => s.deviceId)).toEqual(['room', 'freezer']);
    expect(res.body.series[0].points.length).toBeLessThanOrEqual(10);
  });

  it('rejects a missing or malformed list and more than SERIES_MAX series with VALIDATION_FAILED naming series', async () => {
    for (const query of ['', 'series=room', 'series=room:Temp', 'series=a:b,c:d,e:f,g:h,i:j']) {
      const res = await http().get(`/api/v1/series?${query}`).auth(viewer, { type: 'bearer' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('series');
    }
    const tooMany = await http()
      .get('/api/v1/series?series=a:b,c:d,e:f,g:h,i:j')
      .auth(viewer, { type: 'bearer' });
    expect(tooMany.body.message).toBe('series must name at most 4 device:metric pairs');
    const reversed = await http()
      .get(`/api/v1/series?series=room:humidity&from=${end.toISOString()}&to=${start.toISOString()}`)
      .auth(viewer, { type: 'bearer' })
      .expect(400);
    expect(reversed.body.message).toBe('from must be before to');
  });

  it('takes device:* for every metric of the device, in name order, each as if named', async () => {
    await db.client.query(`INSERT INTO devices (id, first_seen, last_seen) VALUES ('silent', now(), now())`);
    const all = await http()
      .get(`/api/v1/series?series=room:*,freezer:temperature,room:humidity&${range}`)
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    const named = await http()
      .get(`/api/v1/series?series=room:humidity,room:temperature,freezer:temperature&${range}`)
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    // room:humidity once, where room:* put it
    expect(all.body.series).toEqual(named.body.series);
    const none = await http()
      .get(`/api/v1/series?series=silent:*&${range}`)
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(none.body.series).toEqual([]);
    const ghost = await http()
      .get(`/api/v1/series?series=ghost:*&${range}`)
      .auth(viewer, { type: 'bearer' })
      .expect(404);
    expect(ghost.body.message).toContain('ghost');
    // SERIES_MAX (4) counts the metrics * stands for
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT 'silent', m, $1, 1 FROM unnest(ARRAY['a', 'b', 'c', 'd', 'e']) m`,
      [new Date(end.getTime() - 3_600_000)],
    );
    await refreshHourlyRollup(db.client);
    const tooMany = await http()
      .get(`/api/v1/series?series=silent:*&${range}&maxPoints=100`) // not the cached answer above
      .auth(viewer, { type: 'bearer' })
      .expect(400);
    expect(tooMany.body.message).toBe('series must name at most 4 device:metric pairs');
    await http().get(`/api/v1/series?series=freezer:*&${range}`).set('X-API-Key', roomKey).expect(403);
  });

  it('answers 404 naming an unknown device', async () => {
    const res = await http()
      .get(`/api/v1/series?series=room:humidity,ghost:temperature&${range}`)
      .auth(viewer, { type: 'bearer' })
      .expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(res.body.message).toContain('ghost');
  });

  it("lets an API key bound to devices read only its own devices' series", async () => {
    await http()
      .get(`/api/v1/series?series=room:humidity,room:temperature&${range}`)
      .set('X-API-Key', roomKey)
      .expect(200);
    const res = await http()
      .get(`/api/v1/series?series=room:humidity,freezer:temperature&${range}`)
      .set('X-API-Key', roomKey)
      .expect(403);
    expect(res.body.message).toBe('this API key may not access device freezer');
  });
});
