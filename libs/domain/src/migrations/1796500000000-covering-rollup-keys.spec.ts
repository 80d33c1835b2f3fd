import { Client } from 'pg';

import { createDatabase, dropDatabase } from '../../../../scripts/lib/databases';
import { adminUrl, migratedWith } from '../../../../test/support/database';
import { runMigrations } from '../data-source';
import { MIGRATIONS } from './index';

const ROLLUP = (t: string, width: string) => ({
  stored: `SELECT device_id, metric, bucket, min, max, round(sum::numeric, 6) AS sum, count::int FROM ${t} ORDER BY 1, 2, 3`,
  raw: `SELECT device_id, metric, date_bin('${width}', ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS bucket, min(value),
      max(value), round(sum(value)::numeric, 6) AS sum, count(*)::int FROM readings GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
});

// a device's year of rollup rows lies one per heap page (the fleet writes in time order): read in the key's order
describe('CoveringRollupKeys1796500000000', () => {
  const name = `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_${process.pid}_covering`;
  let url: string;
  let db: Client;

  beforeAll(async () => {
    url = await createDatabase(adminUrl(), name, { migrate: false });
    db = await migratedWith(
      url,
      MIGRATIONS.filter((M) => M.name !== 'CoveringRollupKeys1796500000000'),
    );
  });

  afterAll(async () => {
    await db?.end();
    await dropDatabase(adminUrl(), name);
  });

  it('keeps the rollups and reads a device’s year of hour and day rows from the key alone', async () => {
    const write = (from: string, n: number) =>
      db.query(
        `INSERT INTO readings (device_id, metric, ts, value)
         SELECT 'd' || (i % 20), m, TIMESTAMPTZ '${from}' + i * interval '7 minutes', (i * 7919 % 1000) / 10.0
         FROM generate_series(0, $1::int) i, unnest(ARRAY['temperature', 'co2']) m ON CONFLICT DO NOTHING`,
        [n],
      );
    await write('2026-01-05 00:00:00+00', 20_000);
    expect(await runMigrations(url)).toEqual(['CoveringRollupKeys1796500000000']);

    // writers after the swap: new rows folded into existing hours and days (ON CONFLICT on the key), a recount
    await write('2026-01-05 00:03:00+00', 20_000);
    await db.query(`DELETE FROM readings WHERE device_id = 'd3' AND ts < '2026-01-20'`);
    // readings_daily holds the days before the watermark (today's start): all of these
    for (const [t, width] of [
      ['readings_hourly', '1 hour'],
      ['readings_daily', '1 day'],
    ]) {
      const q = ROLLUP(t, width);
      const [stored, raw] = await Promise.all([db.query(q.stored), db.query(q.raw)]);
      expect(stored.rows.length).toBeGreaterThan(1000);
      expect(stored.rows).toEqual(raw.rows);
    }

    await db.query('VACUUM readings_hourly, readings_daily');
    await db.query('SET enable_seqscan = off');
    await db.query('SET enable_bitmapscan = off');
    for (const t of ['readings_hourly', 'readings_daily']) {
      const plan = await db.query(
        `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT bucket, min, max, sum, count FROM ${t}
         WHERE device_id = 'd7' AND metric = 'co2' AND bucket >= '2026-01-01' AND bucket < '2027-01-01'`,
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(new RegExp(`Index Only Scan using ${t}_pkey`));
      expect(text).toMatch(/Heap Fetches: 0/);
    }
  });
});
