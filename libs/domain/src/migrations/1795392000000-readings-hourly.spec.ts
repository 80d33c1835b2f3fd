import { Client } from 'pg';

import { createDatabase, dropDatabase } from '../../../../scripts/lib/databases';
import { adminUrl, migratedWith } from '../../../../test/support/database';
import { runMigrations } from '../data-source';
import { InitialSchema1767225600000 } from './1767225600000-initial-schema';

describe('ReadingsHourly1795392000000', () => {
  const name = `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_${process.pid}_rollup_migration`;
  let url: string;
  let db: Client;

  beforeAll(async () => {
    // a half-hour session zone would shift date_trunc('hour', timestamptz) buckets; the rollup must stay in UTC hours
    url = await createDatabase(adminUrl(), name, { migrate: false, timezone: 'Asia/Kolkata' });
    db = await migratedWith(url, [InitialSchema1767225600000]);
  });

  afterAll(async () => {
    await db?.end();
    await dropDatabase(adminUrl(), name);
  });

  it('back-fills readings_hourly in UTC hours from the readings stored before it', async () => {
    await db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT 'd' || (i % 3), m, TIMESTAMPTZ '2026-03-01 00:00:00+00' + i * interval '97 seconds', (i * 7919 % 1000) / 10.0
       FROM generate_series(0, 5000) i, unnest(ARRAY['temperature', 'humidity']) m`,
    );
    expect(await runMigrations(url)).toContain('ReadingsHourly1795392000000');
    const rollup = await db.query(
      `SELECT device_id, metric, bucket, min, max, sum, count::int FROM readings_hourly ORDER BY 1, 2, 3`,
    );
    const raw = await db.query(
      `SELECT device_id, metric, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
              min(value), max(value), sum(value), count(*)::int
       FROM readings GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(rollup.rows.length).toBeGreaterThan(100);
    expect(rollup.rows.map((r) => ({ ...r, sum: Number(r.sum.toFixed(6)) }))).toEqual(
      raw.rows.map((r) => ({ ...r, sum: Number(r.sum.toFixed(6)) })),
    );
  });
});
