import { Client } from 'pg';

import { createDatabase, dropDatabase } from '../../../../scripts/lib/databases';
import { adminUrl } from '../../../../test/support/database';

// a delete that runs while the maintenance moves its rows out of the default partition must still delete them
describe('PartitionMoveLock1796300000000', () => {
  const name = `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_${process.pid}_movelock`;
  let mover: Client;
  let writer: Client;

  beforeAll(async () => {
    const url = await createDatabase(adminUrl(), name);
    [mover, writer] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
    await Promise.all([mover.connect(), writer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([mover?.end(), writer?.end()]);
    await dropDatabase(adminUrl(), name);
  });

  it('a device deleted during the move loses every reading, and the rollups follow', async () => {
    // history where no partition is: it waits in the default partition
    await writer.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT d, 'temperature', TIMESTAMPTZ '2020-03-02 00:00:00+00' + g * interval '1 minute', g
       FROM generate_series(1, 500) g, (VALUES ('gone'), ('kept')) v(d)`,
    );
    await mover.query('BEGIN');
    await mover.query(
      `SELECT sensorhub_ensure_partitions(TIMESTAMPTZ '2020-03-02 00:00:00+00', TIMESTAMPTZ '2020-03-02 00:00:00+00')`,
    );
    // the move is done but not committed: the delete starts now and must wait for it
    const deleting = writer.query(`DELETE FROM readings WHERE device_id = 'gone'`);
    await new Promise((r) => setTimeout(r, 300));
    await mover.query('COMMIT');
    expect((await deleting).rowCount).toBe(500);
    const left = await writer.query(
      `SELECT device_id, count(*)::int AS n, (SELECT count(*)::int FROM readings_default) AS in_default
       FROM readings GROUP BY 1 ORDER BY 1`,
    );
    expect(left.rows).toEqual([{ device_id: 'kept', n: 500, in_default: 0 }]);
    const hourly = await writer.query(
      `SELECT device_id, sum(count)::int AS n FROM readings_hourly GROUP BY 1 ORDER BY 1`,
    );
    expect(hourly.rows).toEqual([{ device_id: 'kept', n: 500 }]);
  });
});
