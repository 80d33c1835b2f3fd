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

/**
 * Rebuilds readings_hourly from readings, for one device or all: migration 1795392000000's back-fill. Since migration
 * 1795919781075 the triggers on readings keep both rollups for every writer; this is no longer needed by anyone else.
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
