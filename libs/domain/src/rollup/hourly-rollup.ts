/** Anything that runs SQL with positional parameters: a pg Client or Pool, a TypeORM DataSource or QueryRunner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * The UTC hour holding `ts` (an SQL expression). date_bin, not date_trunc('hour', …), because date_trunc on a
 * timestamptz follows the session TimeZone, and a half-hour zone would shift every bucket.
 */
export const hourBucketSql = (ts: string): string =>
  `date_bin('1 hour', ${ts}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** Folds the row proposed for an existing hour into it (the ON CONFLICT tail of an insert into readings_hourly). */
export const HOURLY_ROLLUP_MERGE_SQL = `ON CONFLICT (device_id, metric, bucket) DO UPDATE SET
  min = LEAST(readings_hourly.min, EXCLUDED.min),
  max = GREATEST(readings_hourly.max, EXCLUDED.max),
  sum = readings_hourly.sum + EXCLUDED.sum,
  count = readings_hourly.count + EXCLUDED.count`;

/**
 * Rebuilds readings_hourly from readings, for one device or all: the migration's back-fill, and for data written
 * past ingest (seeding, repairs). Not meant to run while ingest writes the same device: a batch committed between
 * the two statements makes the insert fail on its key rather than count anything twice.
 */
export async function refreshHourlyRollup(db: SqlRunner, deviceId?: string): Promise<void> {
  const where = deviceId === undefined ? '' : 'WHERE device_id = $1';
  const params = deviceId === undefined ? [] : [deviceId];
  await db.query(`DELETE FROM readings_hourly ${where}`, params);
  await db.query(
    `INSERT INTO readings_hourly (device_id, metric, bucket, min, max, sum, count)
     SELECT device_id, metric, ${hourBucketSql('ts')}, min(value), max(value), sum(value), count(*)
     FROM readings ${where} GROUP BY 1, 2, 3`,
    params,
  );
}
