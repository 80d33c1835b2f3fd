/**
 * The readings queries, shared with scripts/bench-api.js so the benchmark times exactly what the API runs. Every
 * one filters on the primary key prefix (device_id, metric) and a ts range.
 */
export const RAW_SQL = `SELECT ts, value FROM readings
  WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4 ORDER BY ts LIMIT $5`;

/** $5 bucket interval; buckets start at UTC multiples of the width from Monday 2000-01-03. */
export const BUCKET_SQL = `SELECT date_bin($5::interval, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS ts,
    min(value) AS min, avg(value) AS avg, max(value) AS max, count(*)::int AS count
  FROM readings WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4 GROUP BY 1 ORDER BY 1`;

/** Day-sized buckets in time zone $6: binned on local wall-clock time, so each starts at local midnight. */
export const LOCAL_BUCKET_SQL = `SELECT date_bin($5::interval, ts AT TIME ZONE $6, TIMESTAMP '2000-01-03') AT TIME ZONE $6 AS ts,
    min(value) AS min, avg(value) AS avg, max(value) AS max, count(*)::int AS count
  FROM readings WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4 GROUP BY 1 ORDER BY 1`;

export const EXPORT_SQL = (withMetric: boolean) => `SELECT metric, ts, value FROM readings
  WHERE device_id = $1 ${withMetric ? 'AND metric = $4' : ''} AND ts >= $2 AND ts < $3 ORDER BY ${withMetric ? 'ts' : 'metric, ts'}`;
