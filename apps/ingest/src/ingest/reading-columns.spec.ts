import { Client } from 'pg';

import { ReadingRow } from '@sensorhub/domain';

import { readingColumns } from './batch-writer.service';

// the literals go to PostgreSQL as unnest parameters: what comes back must be exactly what went in
describe(readingColumns.name, () => {
  const db = new Client(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  beforeAll(() => db.connect());
  afterAll(() => db.end());

  const unnest = async (rows: ReadingRow[]) =>
    (
      await db.query(
        `SELECT d, m, us::text AS us, v FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[]) AS u(d, m, us, v)`,
        readingColumns(rows),
      )
    ).rows;

  it('round-trips ids PostgreSQL would read as NULL or as syntax, and values as exact doubles', async () => {
    const ts = new Date(Date.UTC(2026, 10, 29, 8, 0, 0, 123));
    const rows: ReadingRow[] = [
      { deviceId: 'NULL', metric: 'temp', ts, value: -19.25 },
      { deviceId: 'a"b', metric: 'x\\y', ts, value: 1e-7, us: 999 },
      { deviceId: 'with,comma {brace} space', metric: 'm', ts, value: 0.1 + 0.2 },
      { deviceId: 'big', metric: 'm', ts: new Date(Date.UTC(2255, 0, 1)), value: 1e15 },
    ];
    expect(await unnest(rows)).toEqual([
      { d: 'NULL', m: 'temp', us: String(ts.getTime() * 1000), v: -19.25 },
      { d: 'a"b', m: 'x\\y', us: String(ts.getTime() * 1000 + 999), v: 1e-7 },
      { d: 'with,comma {brace} space', m: 'm', us: String(ts.getTime() * 1000), v: 0.30000000000000004 },
      { d: 'big', m: 'm', us: String(Date.UTC(2255, 0, 1) * 1000), v: 1e15 },
    ]);
  });

  it('gives empty arrays for no readings', async () => {
    expect(readingColumns([])).toEqual(['{}', '{}', '{}', '{}']);
    expect(await unnest([])).toEqual([]);
  });
});
