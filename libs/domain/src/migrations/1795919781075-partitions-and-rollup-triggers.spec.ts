import { Client } from 'pg';

import { createDatabase, dropDatabase } from '../../../../scripts/lib/databases';
import { adminUrl, migratedWith } from '../../../../test/support/database';
import { runMigrations } from '../data-source';
import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { ReadingsHourly1795392000000 } from './1795392000000-readings-hourly';

/**
 * Rollup rows that differ from the same aggregation of the raw rows (hourly, and daily before the watermark; sums to
 * 1e-6).
 */
const ROLLUP_DIFF_SQL = ['hourly', 'daily']
  .map((t) => {
    const width = t === 'hourly' ? '1 hour' : '1 day';
    const before = t === 'daily' ? 'WHERE bucket < (SELECT daily_through FROM readings_rollup_state)' : '';
    const rollup = `SELECT device_id, metric, bucket, min, max, round(sum::numeric, 6), count FROM readings_${t}`;
    const raw = `SELECT * FROM (SELECT device_id, metric, date_bin('${width}', ts, TIMESTAMPTZ '2000-01-03 00:00:00+00')
      AS bucket, min(value), max(value), round(sum(value)::numeric, 6), count(*) FROM readings GROUP BY 1, 2, 3) r ${before}`;
    return `(SELECT count(*) FROM ((${rollup} EXCEPT ${raw}) UNION ALL (${raw} EXCEPT ${rollup})) d)`;
  })
  .join(' + ');

describe('PartitionsAndRollupTriggers1795919781075', () => {
  const name = `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_${process.pid}_partitions`;
  let url: string;
  let db: Client;
  const diff = async () => Number((await db.query(`SELECT ${ROLLUP_DIFF_SQL} AS n`)).rows[0].n);
  const partitionOf = async (device: string, ts: string) =>
    (
      await db.query(`SELECT tableoid::regclass::text AS p FROM readings WHERE device_id = $1 AND ts = $2`, [
        device,
        ts,
      ])
    ).rows[0]?.p;

  beforeAll(async () => {
    url = await createDatabase(adminUrl(), name, { migrate: false, timezone: 'Asia/Kolkata' });
    db = await migratedWith(url, [InitialSchema1767225600000, ReadingsHourly1795392000000]);
  });

  afterAll(async () => {
    await db?.end();
    await dropDatabase(adminUrl(), name);
  });

  it('moves the stored readings into week partitions and rebuilds both rollups from them', async () => {
    await db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT 'd' || (i % 3), 'temperature', TIMESTAMPTZ '2026-03-01 00:00:00+00' + i * interval '97 minutes', i % 101
       FROM generate_series(0, 3000) i`,
    );
    const before = (await db.query(`SELECT md5(string_agg(r::text, ',' ORDER BY r)) AS h FROM readings r`))
      .rows[0].h;
    expect(await runMigrations(url)).toContain('PartitionsAndRollupTriggers1795919781075');
    const after = (await db.query(`SELECT md5(string_agg(r::text, ',' ORDER BY r)) AS h FROM readings r`))
      .rows[0].h;
    expect(after).toBe(before);
    expect(await diff()).toBe(0);
    expect(Number((await db.query(`SELECT count(*) n FROM readings_daily`)).rows[0].n)).toBeGreaterThan(100);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM readings_default`);
    expect(rows[0].n).toBe(0);
    // 3001 × 97 minutes ≈ 202 days from a Sunday: 30 weeks hold data
    const parts = await db.query(
      `SELECT count(*)::int AS n FROM sensorhub_readings_partitions() WHERE hi <= TIMESTAMPTZ '2026-10-01 00:00:00+00'`,
    );
    expect(parts.rows[0].n).toBe(30);
  });

  it('puts a reading at a partition boundary into the partition that starts there, and finds it', async () => {
    // weeks start on Mondays 00:00 UTC; 2026-03-09 is one
    await db.query(
      `INSERT INTO readings VALUES ('edge', 'temperature', '2026-03-09 00:00:00+00', 1),
        ('edge', 'temperature', '2026-03-08 23:59:59.999+00', 2)`,
    );
    expect(await partitionOf('edge', '2026-03-09T00:00:00Z')).toBe('readings_p20260309');
    expect(await partitionOf('edge', '2026-03-08T23:59:59.999Z')).toBe('readings_p20260302');
    const { rows } = await db.query(
      `SELECT value FROM readings WHERE device_id = 'edge' AND ts >= '2026-03-09 00:00:00+00' AND ts < '2026-03-16 00:00:00+00'`,
    );
    expect(rows).toEqual([{ value: 1 }]);
  });

  it('keeps both rollups equal to the raw rows for every way of writing readings', async () => {
    const steps: Array<[string, string]> = [
      [
        'INSERT through readings',
        `INSERT INTO readings SELECT 'w' || (i % 4), 'temperature', TIMESTAMPTZ '2026-03-20 00:00:00+00' + i * interval '7 minutes', random() * 100 FROM generate_series(1, 3000) i`,
      ],
      [
        'INSERT into one partition',
        `INSERT INTO readings_p20260323 SELECT 'p', 'temperature', TIMESTAMPTZ '2026-03-24 00:00:00+00' + i * interval '1 minute', i FROM generate_series(1, 500) i`,
      ],
      [
        'INSERT … ON CONFLICT DO NOTHING',
        `INSERT INTO readings SELECT 'p', 'temperature', TIMESTAMPTZ '2026-03-24 00:00:00+00' + i * interval '1 minute', -i FROM generate_series(400, 600) i ON CONFLICT DO NOTHING`,
      ],
      [
        'INSERT … ON CONFLICT DO UPDATE',
        `INSERT INTO readings SELECT 'p', 'temperature', TIMESTAMPTZ '2026-03-24 00:00:00+00' + i * interval '1 minute', -i FROM generate_series(450, 700) i ON CONFLICT (device_id, metric, ts) DO UPDATE SET value = EXCLUDED.value`,
      ],
      [
        'UPDATE moving rows to another partition',
        `UPDATE readings SET ts = ts + interval '6 days' WHERE device_id = 'p' AND ts < '2026-03-24 02:00:00+00'`,
      ],
      [
        'UPDATE of values in one partition',
        `UPDATE readings_p20260323 SET value = value * 2 WHERE device_id = 'p'`,
      ],
      [
        'DELETE through readings',
        `DELETE FROM readings WHERE device_id = 'w1' AND ts > '2026-03-25 00:00:00+00'`,
      ],
      ['DELETE from one partition', `DELETE FROM readings_p20260330 WHERE device_id = 'p'`],
      [
        'COPY',
        `COPY readings FROM PROGRAM 'seq 1 1000 | awk ''{printf "c%d\\ttemperature\\t2026-03-25 %02d:%02d:00+00\\t%d\\n", $1%4, ($1/60)%24, $1%60, $1}'''`,
      ],
      ['TRUNCATE of one partition', `TRUNCATE readings_p20260316`],
      [
        'INSERT outside every partition (default partition)',
        `INSERT INTO readings SELECT 'far', 'temperature', TIMESTAMPTZ '2030-01-01 00:00:00+00' + i * interval '1 hour', i FROM generate_series(1, 400) i`,
      ],
    ];
    for (const [label, sql] of steps) {
      await db.query(sql);
      expect({ label, diff: await diff() }).toEqual({ label, diff: 0 });
    }
  });

  it('folds the days after the watermark into readings_daily when it moves, and keeps them from then on', async () => {
    const daily2030 = `SELECT count(*) n FROM readings_daily WHERE bucket >= '2030-01-01 00:00:00+00'`;
    expect(Number((await db.query(daily2030)).rows[0].n)).toBe(0); // after the watermark: read from the hours
    const { rows } = await db.query(`SELECT sensorhub_rollup_fold('2031-01-01 00:00:00+00') AS n`);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(Number((await db.query(daily2030)).rows[0].n)).toBe(17); // 400 hours from 2030-01-01 01:00
    expect(await diff()).toBe(0);
    await db.query(
      `INSERT INTO readings VALUES ('far', 'temperature', '2030-01-02 12:30:00+00', -5), ('late', 'co2', '2030-02-01', 1)`,
    );
    expect(await diff()).toBe(0);
  });

  it('moves rows waiting in the default partition into the partitions created for them', async () => {
    expect(Number((await db.query(`SELECT count(*) n FROM readings_default`)).rows[0].n)).toBe(402);
    await db.query(`SELECT sensorhub_ensure_partitions('2030-01-01 00:00:00+00', '2030-01-20 00:00:00+00')`);
    // only the row of February is left, outside the partitions made
    expect(Number((await db.query(`SELECT count(*) n FROM readings_default`)).rows[0].n)).toBe(1);
    expect(await partitionOf('far', '2030-01-10T00:00:00Z')).toBe('readings_p20300107');
    expect(await diff()).toBe(0);
    // and the moved partition's own triggers work
    await db.query(
      `DELETE FROM readings_p20300107 WHERE device_id = 'far' AND ts < '2030-01-08 05:00:00+00'`,
    );
    expect(await diff()).toBe(0);
  });

  it('leaves the rollups alone for a transaction that says so, and TRUNCATE readings empties them', async () => {
    await db.query('BEGIN');
    await db.query('SET LOCAL sensorhub.keep_rollups = on');
    await db.query(`DELETE FROM readings WHERE device_id = 'w2'`);
    await db.query('COMMIT');
    expect(await diff()).toBeGreaterThan(0);
    await db.query('TRUNCATE readings');
    expect(await diff()).toBe(0);
    expect(Number((await db.query(`SELECT count(*) n FROM readings_hourly`)).rows[0].n)).toBe(0);
  });
});
