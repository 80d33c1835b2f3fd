/**
 * The readings queries, shared with scripts/bench-api.ts so the benchmark times exactly what the API runs. Every
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

/**
 * readings_hourly holds whole UTC hours, so a range [from, to) splits into the whole hours [a, b) the rollup answers
 * and the cut hours at either end, [from, a) and [b, to), read raw. a = b when no whole hour fits.
 */
export function wholeHours(from: Date, to: Date): [Date, Date] {
  const hour = 3_600_000;
  const a = Math.min(Math.ceil(from.getTime() / hour) * hour, to.getTime());
  const b = Math.max(Math.floor(to.getTime() / hour) * hour, a);
  return [new Date(a), new Date(b)];
}

/** Readings in the whole hours [$3, $4): a lower bound of the range's count, read from the rollup. */
export const ROLLUP_COUNT_SQL = `SELECT coalesce(sum(count), 0)::float8 AS n FROM readings_hourly
  WHERE device_id = $1 AND metric = $2 AND bucket >= $3 AND bucket < $4`;

/** ROLLUP_COUNT_SQL for several metrics ($2, text[]) of one device in one statement: a row per metric that has any. */
export const ROLLUP_COUNTS_SQL = `SELECT metric, coalesce(sum(count), 0)::float8 AS n FROM readings_hourly
  WHERE device_id = $1 AND metric = ANY($2::text[]) AND bucket >= $3 AND bucket < $4 GROUP BY metric`;

/** The whole UTC days [c, d) inside the whole hours [a, b): what readings_daily answers. c = d when none fits. */
export function wholeDays(a: Date, b: Date): [Date, Date] {
  const day = 86_400_000;
  const c = Math.min(Math.ceil(a.getTime() / day) * day, b.getTime());
  const d = Math.max(Math.floor(b.getTime() / day) * day, c);
  return [new Date(c), new Date(d)];
}

const HOURS = (from: string, to: string, extra = '') =>
  `SELECT bucket AS ts, min, max, sum, count FROM readings_hourly
    WHERE device_id = $1 AND metric = $2 AND bucket >= ${from} AND bucket < ${to} ${extra}`;
const RAW = (from: string, to: string, extra = '') =>
  `SELECT ts, value, value, value, 1 FROM readings WHERE device_id = $1 AND metric = $2 AND ts >= ${from} AND ts < ${to} ${extra}`;

/** $6, $7 from wholeHours($3, $4): hour rows for the middle, raw rows for the cut hours at the ends. */
const ROLLUP_PARTS = (wholeHoursFilter = '', rawWholeHours = '') => `
  ${HOURS('$6', '$7', wholeHoursFilter)}
  UNION ALL ${RAW('$3', '$6')}
  UNION ALL ${RAW('$7', '$4')}
  ${rawWholeHours}`;

const ROLLUP_AGGREGATES = `min(min) AS min, sum(sum) / sum(count)::float8 AS avg, max(max) AS max, sum(count)::int AS count`;

/** BUCKET_SQL from the hourly rollup, for bucket widths of whole hours; same result. */
export const ROLLUP_BUCKET_SQL = `WITH parts AS (${ROLLUP_PARTS()})
SELECT date_bin($5::interval, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS ts, ${ROLLUP_AGGREGATES}
  FROM parts GROUP BY 1 ORDER BY 1`;

/**
 * BUCKET_SQL for widths of whole days (UTC): day rows for the whole days [$8, $9) from wholeDays($6, $7) that are
 * before the daily rollup's watermark (the start of today, once folded), hour rows for the other whole hours, raw
 * rows for the cut hours. A year is then ~365 + 48 rollup rows, not 8,760 or the raw rows.
 */
export const DAILY_BUCKET_SQL = `WITH w AS (
  SELECT LEAST($9::timestamptz, GREATEST($8::timestamptz, daily_through)) AS d FROM readings_rollup_state
), parts AS (
  SELECT bucket AS ts, min, max, sum, count FROM readings_daily
    WHERE device_id = $1 AND metric = $2 AND bucket >= $8 AND bucket < (SELECT d FROM w)
  UNION ALL ${HOURS('$6', '$8')}
  UNION ALL ${HOURS('(SELECT d FROM w)', '$7')}
  UNION ALL ${RAW('$3', '$6')}
  UNION ALL ${RAW('$7', '$4')})
SELECT date_bin($5::interval, ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS ts, ${ROLLUP_AGGREGATES}
  FROM parts GROUP BY 1 ORDER BY 1`;

/**
 * LOCAL_BUCKET_SQL from the hourly rollup ($8 the zone). An hour row may only stand in for its readings when no
 * local midnight (where day-sized buckets start) falls inside the hour, i.e. when the zone's offset is whole hours
 * over the range (not so for Asia/Kolkata): otherwise the whole range is read raw, in this same statement.
 */
export const ROLLUP_LOCAL_BUCKET_SQL = `WITH split_hours AS MATERIALIZED (
  SELECT 1 FROM generate_series(date_trunc('day', $3 AT TIME ZONE $8), $4 AT TIME ZONE $8, interval '1 day') AS d
  WHERE extract(epoch FROM d AT TIME ZONE $8) % 3600 <> 0 LIMIT 1
), parts AS (${ROLLUP_PARTS(
  'AND NOT EXISTS (SELECT 1 FROM split_hours)',
  `UNION ALL ${RAW('$6', '$7', 'AND EXISTS (SELECT 1 FROM split_hours)')}`,
)})
SELECT date_bin($5::interval, ts AT TIME ZONE $8, TIMESTAMP '2000-01-03') AT TIME ZONE $8 AS ts, ${ROLLUP_AGGREGATES}
  FROM parts GROUP BY 1 ORDER BY 1`;

/**
 * A one-series statement (device $1, metric $2) for several metrics of the device at once ($2 a text[]): the same
 * statement run for each metric in turn (a lateral subquery), its rows prefixed with the metric, in $2's order.
 * Each series is thus exactly what the statement answers alone, in one round trip and one plan.
 */
export const perMetric = (sql: string): string =>
  `SELECT x.metric, s.* FROM unnest($2::text[]) WITH ORDINALITY AS x(metric, i)
  CROSS JOIN LATERAL (${sql.replace(/\$2(?!\d)/g, 'x.metric')}) s ORDER BY x.i, s.ts`;

export const EXPORT_SQL = (withMetric: boolean) => `SELECT metric, ts, value FROM readings
  WHERE device_id = $1 ${withMetric ? 'AND metric = $4' : ''} AND ts >= $2 AND ts < $3 ORDER BY ${withMetric ? 'ts' : 'metric, ts'}`;

/**
 * Sparklines of devices $1 (text[]): the (device, metric) pairs by a loose index scan over the hourly rollup's key
 * (one probe per pair, as the devices list finds its latest values; equality plus `metric >` keeps both as index
 * bounds; the rollup, not readings, whose partitions would each be probed), then
 * per pair one range read of the key (device_id, metric, ts) over the window [now() − $2, now()], averaged in $3-wide
 * buckets at UTC multiples of the width from Monday 2000-01-03. Pairs without readings in the window give no rows.
 */
export const SPARKLINES_SQL = `WITH RECURSIVE pairs AS (
    SELECT d.id AS device_id, f.metric FROM unnest($1::text[]) AS d(id) CROSS JOIN LATERAL (
      SELECT r.metric FROM readings_hourly r WHERE r.device_id = d.id ORDER BY r.metric LIMIT 1) f
    UNION ALL
    SELECT p.device_id, n.metric FROM pairs p CROSS JOIN LATERAL (
      SELECT r.metric FROM readings_hourly r WHERE r.device_id = p.device_id AND r.metric > p.metric
      ORDER BY r.metric LIMIT 1) n
  )
  SELECT p.device_id, p.metric, b.ts, b.avg FROM pairs p CROSS JOIN LATERAL (
    SELECT date_bin($3::interval, r.ts, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS ts, avg(r.value) AS avg
    FROM readings r
    WHERE r.device_id = p.device_id AND r.metric = p.metric AND r.ts >= now() - $2::interval AND r.ts <= now()
    GROUP BY 1 ORDER BY 1) b
  ORDER BY p.device_id, p.metric, b.ts`;
