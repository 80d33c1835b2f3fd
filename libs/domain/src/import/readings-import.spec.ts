import { Readable } from 'node:stream';

import { Client } from 'pg';

import { createDatabase, dropDatabase } from '../../../../scripts/lib/databases';
import { adminUrl } from '../../../../test/support/database';
import { importReadings } from './readings-import';

// The importer on four connections (two lanes, two chunks in flight) with chunks of a few lines: every device's
// lines land whichever lane and chunk they fall in, a key repeated in a later chunk keeps the first line's value,
// and the rollups the triggers keep agree with the rows.
describe('importReadings over several connections', () => {
  const name = `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_${process.pid}_import`;
  let clients: Client[];
  let db: Client;

  beforeAll(async () => {
    const url = await createDatabase(adminUrl(), name);
    clients = Array.from({ length: 5 }, () => new Client({ connectionString: url }));
    await Promise.all(clients.map((c) => c.connect()));
    db = clients.pop()!;
  });

  afterAll(async () => {
    await Promise.all([...(clients ?? []), db].map((c) => c?.end()));
    await dropDatabase(adminUrl(), name);
  });

  it('stores every line once, the first of a repeated key, with rollups that match the rows', async () => {
    const lines = ['device_id,metric,ts,value'];
    const t0 = Date.UTC(2025, 5, 2);
    for (let i = 0; i < 40; i++)
      for (let d = 0; d < 7; d++)
        lines.push(`dev-${d},temperature,${new Date(t0 + i * 600_000).toISOString()},${d * 100 + i}`);
    // the same keys again, later in the file (other chunks) and with other values: they must lose
    for (let d = 0; d < 7; d++) lines.push(`dev-${d},temperature,${new Date(t0).toISOString()},-1`);
    lines.push('dev-0,temperature,not-a-date,1');
    const report = await importReadings(clients, Readable.from([lines.join('\n')]), {
      format: 'csv',
      chunkRows: 9,
    });
    expect(report).toMatchObject({ lines: 288, stored: 280, duplicates: 7, rejected: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ line: 289, reason: 'INVALID_TIMESTAMP' })]);

    const { rows } = await db.query(
      `SELECT device_id, count(*)::int AS n, min(value) AS lo, sum(value)::int AS total FROM readings
       GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual(
      Array.from({ length: 7 }, (_, d) => ({
        device_id: `dev-${d}`,
        n: 40,
        lo: d * 100,
        total: 40 * d * 100 + (39 * 40) / 2,
      })),
    );
    const { rows: drift } = await db.query(
      `SELECT h.device_id, h.bucket FROM readings_hourly h
       FULL JOIN (SELECT device_id, date_bin('1 hour', ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS bucket,
                    count(*) AS n, sum(value) AS s FROM readings GROUP BY 1, 2) r USING (device_id, bucket)
       WHERE h.count IS DISTINCT FROM r.n OR h.sum IS DISTINCT FROM r.s`,
    );
    expect(drift).toEqual([]);
    const devices = await db.query(`SELECT count(*)::int AS n FROM devices WHERE first_seen = $1`, [
      new Date(t0),
    ]);
    expect(devices.rows[0].n).toBe(7);
  });
});
