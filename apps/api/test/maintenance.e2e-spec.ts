import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';

import { validateApiConfig } from '../src/config/api.config';
import { MaintenanceService } from '../src/maintenance/maintenance.service';
import { startApi, TEST_JWT_SECRET } from '../../../test/support/api';
import { count, createTestDatabase, TestDatabase } from '../../../test/support/database';

const DAY = 86_400_000;

describe('retention and partitions ahead (maintenance)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let partitionsBefore: Array<{ part: string; lo: Date; hi: Date }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app } = await startApi(db.url, {
      RETENTION_DAYS: '20',
      RETENTION_DAYS_BY_METRIC: 'co2:5',
      ROLLUP_RETENTION_DAYS: '60',
      DEAD_LETTER_RETENTION_DAYS: '7',
      MAINTENANCE_INTERVAL_SECONDS: '0',
    }));
    await db.client.query(`SELECT sensorhub_ensure_partitions(now() - interval '90 days', now())`);
    // every 30 minutes for 90 days, two metrics
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT 'ret', m, date_bin('30 minutes', now(), TIMESTAMPTZ '2000-01-03 00:00:00+00') - k * interval '30 minutes', k % 17
       FROM generate_series(0, 90 * 48 - 1) k, unnest(ARRAY['temperature', 'co2']) m`,
    );
    await db.client.query(
      `INSERT INTO dead_letters (topic, payload, payload_size, reason, detail, received_at) VALUES
       ('x', '', 0, 'INVALID_JSON', 'old', now() - interval '10 days'), ('x', '', 0, 'INVALID_JSON', 'new', now() - interval '1 day')`,
    );
    partitionsBefore = (
      await db.client.query(`SELECT part::text, lo, hi FROM sensorhub_readings_partitions()`)
    ).rows;
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('drops whole partitions past retention, deletes the edge, keeps newer partitions and the rollups longer', async () => {
    const recent = `SELECT count(*) n FROM readings WHERE metric = 'temperature' AND ts >= now() - interval '19 days'`;
    const recentBefore = await count(db.client, recent);
    const res = await app.get(MaintenanceService).run();
    expect(res.ran).toBe(true);

    const cutoff = Date.now() - 20 * DAY;
    const partsAfter = (
      await db.client.query(`SELECT part::text, lo, hi FROM sensorhub_readings_partitions()`)
    ).rows;
    const expectDropped = partitionsBefore.filter((p) => p.hi.getTime() <= cutoff).map((p) => p.part);
    expect(expectDropped.length).toBeGreaterThanOrEqual(9);
    expect(res.partitionsDropped).toEqual(expectDropped);
    // every newer partition is still there, and two weeks ahead exist now
    for (const p of partitionsBefore.filter((p) => p.hi.getTime() > cutoff))
      expect(partsAfter.map((a: { part: string }) => a.part)).toContain(p.part);
    expect(Math.max(...partsAfter.map((p: { hi: Date }) => p.hi.getTime()))).toBeGreaterThan(
      Date.now() + 13 * DAY,
    );

    // the edge: nothing older than the metric's retention, everything newer untouched
    const oldest = async (metric: string) =>
      (await db.client.query(`SELECT min(ts) AS t FROM readings WHERE metric = $1`, [metric])).rows[0]
        .t as Date;
    expect((await oldest('temperature')).getTime()).toBeGreaterThanOrEqual(cutoff - 60_000);
    expect((await oldest('temperature')).getTime()).toBeLessThan(cutoff + DAY);
    expect((await oldest('co2')).getTime()).toBeGreaterThanOrEqual(Date.now() - 5 * DAY - 60_000);
    expect(await count(db.client, recent)).toBe(recentBefore);

    // rollups outlive the raw rows up to ROLLUP_RETENTION_DAYS
    expect(
      await count(
        db.client,
        `SELECT count(*) n FROM readings_hourly WHERE bucket < now() - interval '30 days'`,
      ),
    ).toBeGreaterThanOrEqual(2 * 30 * 24 - 2);
    expect(
      await count(
        db.client,
        `SELECT count(*) n FROM readings_hourly WHERE bucket < now() - interval '60 days'`,
      ),
    ).toBe(0);
    expect(
      await count(
        db.client,
        `SELECT count(*) n FROM readings_daily WHERE bucket < now() - interval '61 days'`,
      ),
    ).toBe(0);
    expect(
      (await db.client.query(`SELECT detail FROM dead_letters`)).rows.map(
        (r: { detail: string }) => r.detail,
      ),
    ).toEqual(['new']);

    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/sensorhub_retention_removed_total\{table="dead_letters"\} 1/);
    expect(metrics.text).toMatch(/sensorhub_retention_removed_total\{table="readings_hourly"\} [1-9]/);
    expect(metrics.text).toMatch(/sensorhub_maintenance_runs_total\{outcome="ok"\} 1/);
  });

  it('runs in one replica at a time: another holder of the lock makes it skip', async () => {
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [0x5e0501]);
      expect((await app.get(MaintenanceService).run()).ran).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1)', [0x5e0501]);
      expect((await app.get(MaintenanceService).run()).ran).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('refuses rollups kept shorter than raw readings, naming the key', () => {
    expect(() =>
      validateApiConfig({
        DATABASE_URL: 'postgres://x@y/z',
        MQTT_URL: 'mqtt://x',
        JWT_SECRET: TEST_JWT_SECRET,
        RETENTION_DAYS: '30',
        ROLLUP_RETENTION_DAYS: '10',
      }),
    ).toThrow(/ROLLUP_RETENTION_DAYS/);
    expect(() =>
      validateApiConfig({
        DATABASE_URL: 'postgres://x@y/z',
        MQTT_URL: 'mqtt://x',
        JWT_SECRET: TEST_JWT_SECRET,
        RETENTION_DAYS_BY_METRIC: 'co2=30',
      }),
    ).toThrow(/RETENTION_DAYS_BY_METRIC/);
  });
});
