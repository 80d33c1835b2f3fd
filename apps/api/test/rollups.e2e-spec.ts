import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

import { INestApplication } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import { from as copyFrom } from 'pg-copy-streams';
import request from 'supertest';

import { createUsers, login, startApi } from '../../../test/support/api';
import { brokerUrl, connectClient, testClientId } from '../../../test/support/broker';
import { count, createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Point {
  ts: string;
  min: number;
  avg: number;
  max: number;
  count: number;
}

/**
 * The chart buckets the API serves (from the hourly and daily rollups where whole hours or days fit) must equal the
 * same aggregation over the raw rows, whoever wrote them: a plain INSERT, COPY, ingest, and after a DELETE.
 */
describe('rollups kept by the database: API buckets equal the raw aggregation', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let token: string;
  let ingest: IngestProcess;
  let pub: MqttClient;
  const http = () => request(app.getHttpServer());
  // an end that cuts an hour and a day, so every range has raw edges, whole hours and whole days
  const end = new Date(Math.floor(Date.now() / HOUR) * HOUR - 17 * 60_000 - 23_000);
  const tag = `r${process.pid}`;

  /** t_k = end − k·step − offset for k = 1..n, value a deterministic wiggle with repeats (min/max ties) */
  const series = (n: number, stepMs: number, seed: number, offsetMs = 0) =>
    Array.from({ length: n }, (_, i) => {
      const ts = new Date(end.getTime() - (i + 1) * stepMs - offsetMs);
      return {
        ts,
        value: Math.round((50 + 40 * Math.sin((i + seed) / 37) + ((i * 7919) % 13)) * 1000) / 1000,
      };
    });
  // a year every 3 hours and the last two days every minute: ~5,800 rows per writer
  const dataset = (seed: number) => [
    ...series(2920, 3 * HOUR, seed),
    ...series(2880, 60_000, seed + 1, 7_000),
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer']);
    ({ app } = await startApi(db.url));
    token = await login(app, 'viewer@example.com');
    await db.client.query(
      `INSERT INTO devices (id, first_seen, last_seen) SELECT unnest($1::text[]), now(), now()`,
      [['sql', 'copy'].map((w) => `${tag}-${w}`)],
    );
    // a year back: the history lands in partitions made for it, not in the default one
    await db.client.query(`SELECT sensorhub_ensure_partitions(now() - interval '400 days', now())`);
  }, 30_000);

  afterAll(async () => {
    await pub?.endAsync();
    await ingest?.stop();
    await app?.close();
    await db?.drop();
  });

  async function apiPoints(device: string, from: Date, to: Date, maxPoints: number, tz?: string) {
    const res = await http()
      .get(`/api/v1/devices/${device}/readings`)
      .query({ metric: 'temperature', from: from.toISOString(), to: to.toISOString(), maxPoints, tz })
      .auth(token, { type: 'bearer' })
      .expect(200);
    return res.body as { bucketSeconds: number | null; points: Point[] };
  }

  async function rawPoints(device: string, from: Date, to: Date, bucketSeconds: number, tz?: string) {
    const bin = tz
      ? `date_bin($4::interval, ts AT TIME ZONE $5, TIMESTAMP '2000-01-03') AT TIME ZONE $5`
      : `date_bin($4::interval, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00')`;
    const { rows } = await db.client.query(
      `SELECT ${bin} AS ts, min(value) AS min, avg(value) AS avg, max(value) AS max, count(*)::int AS count
       FROM readings WHERE device_id = $1 AND metric = 'temperature' AND ts >= $2 AND ts < $3
       GROUP BY 1 ORDER BY 1`,
      [device, from, to, `${bucketSeconds} seconds`, ...(tz ? [tz] : [])],
    );
    return rows as Array<{ ts: Date; min: number; avg: number; max: number; count: number }>;
  }

  // [label, range, maxPoints, tz]
  const CASES: Array<[string, number, number, string | undefined]> = [
    ['1 h in 10-minute buckets (raw)', HOUR, 10, undefined],
    ['24 h in hours (hourly rollup)', DAY, 30, undefined],
    ['30 d in hours (hourly rollup)', 30 * DAY, 1000, undefined],
    ['30 d in 2-day buckets (daily rollup)', 30 * DAY, 20, undefined],
    ['1 y in 12-hour buckets (hourly rollup)', 365 * DAY, 1000, undefined],
    ['1 y in 2-day buckets (daily rollup)', 365 * DAY, 200, undefined],
    ['30 d in local days of Asia/Kolkata (+05:30)', 30 * DAY, 40, 'Asia/Kolkata'],
    ['1 y in local days of Asia/Kolkata (+05:30)', 365 * DAY, 400, 'Asia/Kolkata'],
    ['30 d in local days of Europe/Berlin (rollup)', 30 * DAY, 40, 'Europe/Berlin'],
  ];

  /** `shiftMs` moves the ranges: other URLs than before, which the api's 1-second response cache does not hold */
  async function expectBucketsEqualRaw(device: string, shiftMs = 0) {
    for (const [label, rangeMs, maxPoints, tz] of CASES) {
      const from = new Date(end.getTime() + 5 * 60_000 - rangeMs + shiftMs);
      const to = new Date(end.getTime() + 5 * 60_000 + shiftMs);
      const api = await apiPoints(device, from, to, maxPoints, tz);
      expect({ label, bucketed: api.bucketSeconds !== null }).toEqual({ label, bucketed: true });
      const raw = await rawPoints(device, from, to, api.bucketSeconds!, tz);
      expect(raw.length).toBeGreaterThan(0);
      expect({ label, buckets: api.points.map((p) => [new Date(p.ts).getTime(), p.count]) }).toEqual({
        label,
        buckets: raw.map((r) => [r.ts.getTime(), r.count]),
      });
      api.points.forEach((p, i) => {
        expect({ label, ts: p.ts, min: p.min, max: p.max }).toEqual({
          label,
          ts: raw[i].ts.toISOString(),
          min: raw[i].min,
          max: raw[i].max,
        });
        if (Math.abs(p.avg - raw[i].avg) > 1e-9)
          throw new Error(`${label} ${p.ts}: avg ${p.avg} vs ${raw[i].avg}`);
      });
    }
  }

  it('plain SQL INSERT', async () => {
    const rows = dataset(1);
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT $1, 'temperature', t, v FROM unnest($2::timestamptz[], $3::float8[]) AS u(t, v)`,
      [`${tag}-sql`, rows.map((r) => r.ts), rows.map((r) => r.value)],
    );
    await expectBucketsEqualRaw(`${tag}-sql`);
  });

  it('COPY', async () => {
    const rows = dataset(2);
    const text = rows.map((r) => `${tag}-copy\ttemperature\t${r.ts.toISOString()}\t${r.value}\n`).join('');
    await pipeline(Readable.from([text]), db.client.query(copyFrom('COPY readings FROM STDIN')));
    await expectBucketsEqualRaw(`${tag}-copy`);
  });

  it('through ingest (MQTT)', async () => {
    ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: testClientId('ingest-rollups'),
      INGEST_TS_MAX_AGE_DAYS: '400',
    });
    await ingest.ready;
    pub = await connectClient(brokerUrl());
    const rows = dataset(3);
    const stored = () =>
      count(db.client, `SELECT count(*) n FROM readings WHERE device_id = $1`, [`${tag}-ingest`]);
    // in steps the shared broker queues whole for a subscriber whose acks wait for commits (Mosquitto's
    // max_queued_messages defaults to 1,000)
    for (let i = 0; i < rows.length; i += 500) {
      const step = rows.slice(i, i + 500);
      await Promise.all(
        step.map((r) =>
          pub.publishAsync(
            `devices/${tag}-ingest/temperature`,
            JSON.stringify({ value: r.value, ts: r.ts.getTime() }),
            { qos: 1 },
          ),
        ),
      );
      await waitFor(
        async () => (await stored()) === i + step.length,
        10_000,
        `${i + step.length} readings stored`,
      );
    }
    await expectBucketsEqualRaw(`${tag}-ingest`);
  }, 60_000);

  it('after a DELETE of a range', async () => {
    await db.client.query(`DELETE FROM readings WHERE device_id LIKE $1 AND ts >= $2 AND ts < $3`, [
      `${tag}-%`,
      new Date(end.getTime() - 40 * DAY - 47 * 60_000),
      new Date(end.getTime() - 20 * HOUR + 13_000),
    ]);
    // written past the api (plain SQL), so asked with other URLs than before the DELETE
    for (const w of ['sql', 'copy', 'ingest']) await expectBucketsEqualRaw(`${tag}-${w}`, 1);
  }, 30_000);

  it('reads only the partitions of the range (EXPLAIN of the 30-day query)', async () => {
    const from = new Date(end.getTime() - 30 * DAY);
    const { rows } = await db.client.query(
      `EXPLAIN SELECT ts, value FROM readings WHERE device_id = $1 AND metric = 'temperature' AND ts >= $2 AND ts < $3`,
      [`${tag}-sql`, from, end],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const scanned = [...plan.matchAll(/on (readings_\w+)/g)].map((m) => m[1]);
    const { rows: parts } = await db.client.query(
      `SELECT part::text AS name FROM sensorhub_readings_partitions() WHERE lo < $2 AND hi > $1 ORDER BY lo`,
      [from, end],
    );
    expect(parts.length).toBeGreaterThanOrEqual(5); // 30 days of week-wide partitions
    expect(new Set(scanned)).toEqual(new Set(parts.map((p) => p.name)));
    expect(plan).not.toMatch(/readings_default/);
  });
});
