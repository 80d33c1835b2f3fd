import { PassThrough, Readable, Transform } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { CatalogService } from '../catalog/catalog.service';
import { ApiError, badRequest, notFound } from '../common/errors';
import { ApiConfig } from '../config/api.config';
import { API_CONFIG } from '../config/config.tokens';
import { DevicesService } from '../devices/devices.service';
import { chooseBucketSeconds, DAY_SECONDS } from './bucket';
import { ExportQueryDto, PointDto, RangeQueryDto, ReadingsDto, ReadingsQueryDto } from './dto/readings.dto';
import { ALL_METRICS, SeriesDto, SeriesQueryDto } from './dto/series.dto';
import { SparklineSeriesDto, SparklinesDto, SparklinesQueryDto } from './dto/sparklines.dto';
import {
  BUCKET_SQL,
  perMetric,
  DAILY_BUCKET_SQL,
  EXPORT_SQL,
  LOCAL_BUCKET_SQL,
  RAW_SQL,
  ROLLUP_BUCKET_SQL,
  ROLLUP_COUNT_SQL,
  ROLLUP_COUNTS_SQL,
  ROLLUP_LOCAL_BUCKET_SQL,
  SPARKLINES_SQL,
  wholeDays,
  wholeHours,
} from './readings.sql';

const DEFAULT_RANGE_MS = 24 * 3600 * 1000;
const HOUR_SECONDS = 3600;

@Injectable()
export class ReadingsService {
  private zones?: Promise<Set<string>>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly devices: DevicesService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * Several series over one range in one answer (a device page's every metric, the compare chart's devices): each
   * exactly as query() answers it alone, so the same buckets line up across series; computed side by side.
   */
  async many(q: SeriesQueryDto): Promise<SeriesDto> {
    const max = this.config.SERIES_MAX;
    const tooMany = () =>
      badRequest(`series must name at most ${max} device:metric pairs`, [
        { field: 'series', errors: [`at most ${max} (SERIES_MAX)`] },
      ]);
    if (q.series.length > max) throw tooMany();
    const { from, to } = range(q);
    const pairs = await this.expandAllMetrics(q.series);
    if (pairs.length > max) throw tooMany();
    await this.assertTimeZone(q.tz);
    const counts = await this.countWholeHoursOf(pairs, from, to);
    // above maxPoints in the whole hours alone a series is bucketed (see query()): a device's such series in one
    // statement (a device page of 12 metrics: 1 statement, not 12); the others as query() answers each
    const bucketed = new Map<string, string[]>();
    for (const s of pairs) {
      if ((counts.get(s) ?? 0) <= q.maxPoints) continue;
      const [deviceId, metric] = s.split(':');
      const metrics = bucketed.get(deviceId);
      if (metrics) metrics.push(metric);
      else bucketed.set(deviceId, [metric]);
    }
    const done = new Map<string, ReadingsDto>();
    // one width and statement for every series of the range
    const { bucketSeconds, sql, params } = bucketStatement(q, from, to);
    await Promise.all(
      [...bucketed].map(async ([deviceId, metrics]) => {
        const rows = await this.db.query<({ metric: string } & PointDto)[]>(perMetric(sql), [
          deviceId,
          metrics,
          ...params,
        ]);
        const points = new Map<string, PointDto[]>(metrics.map((m) => [m, []]));
        for (const { metric, ts, min, avg, max, count } of rows)
          points.get(metric)!.push({ ts, min, avg, max, count });
        for (const m of metrics) {
          const base = { deviceId, metric: m, from, to, tz: q.tz ?? null };
          done.set(`${deviceId}:${m}`, { ...base, bucketSeconds, points: points.get(m)! });
        }
      }),
    );
    const series = await Promise.all(
      pairs.map((s) => {
        const answered = done.get(s);
        if (answered) return answered;
        const [deviceId, metric] = s.split(':');
        return this.query(deviceId, { ...q, metric, from, to }, counts.get(s) ?? 0).catch((e: unknown) => {
          // among several devices, say which one is unknown
          throw e instanceof ApiError && e.getStatus() === 404 ? notFound(`device ${deviceId}`) : e;
        });
      }),
    );
    return { from, to, tz: q.tz ?? null, series: q.digits ? series.map(rounded(q.digits)) : series };
  }

  /** `device:*` → that device's `device:metric` pairs in name order (404 when the device is unknown); once each. */
  private async expandAllMetrics(series: string[]): Promise<string[]> {
    const out = await Promise.all(
      series.map(async (s) => {
        const [deviceId, metric] = s.split(':');
        if (metric !== ALL_METRICS) return [s];
        const metrics = await this.devices.metricsOf(deviceId);
        if (!metrics.length)
          await this.devices.assertExists(deviceId).catch(() => {
            throw notFound(`device ${deviceId}`);
          });
        return metrics.map((m) => `${deviceId}:${m}`);
      }),
    );
    return [...new Set(out.flat())];
  }

  /**
   * Raw points when the range holds at most maxPoints readings, else at most maxPoints min/avg/max/count buckets.
   * Counting and whole-hour buckets read the hourly rollup, whole-day buckets the daily one, not the raw rows; every
   * statement bounds ts (or the rollup's bucket) by the range, so only the partitions of the range are read.
   */
  async query(deviceId: string, q: ReadingsQueryDto, wholeHoursCount?: number): Promise<ReadingsDto> {
    const { from, to } = range(q);
    await this.assertTimeZone(q.tz);
    const base = { deviceId, metric: q.metric, from, to, tz: q.tz ?? null };
    const [a, b] = wholeHours(from, to);
    // the whole hours' count is a lower bound: above maxPoints there is no need to probe the raw rows
    const whole = a < b ? (wholeHoursCount ?? (await this.countWholeHours(deviceId, q.metric, a, b))) : 0;
    let points: PointDto[] | undefined;
    if (whole <= q.maxPoints) {
      const raw = await this.db.query<{ ts: Date; value: number }[]>(RAW_SQL, [
        deviceId,
        q.metric,
        from,
        to,
        q.maxPoints + 1,
      ]);
      // fewer raw rows than the rollup counts: raw retention removed them, the rollup still answers
      if (raw.length <= q.maxPoints && raw.length >= whole) {
        points = raw.map((r) => ({ ts: r.ts, min: r.value, avg: r.value, max: r.value, count: 1 }));
      }
    }
    let bucketSeconds: number | null = null;
    if (!points) {
      const st = bucketStatement(q, from, to);
      bucketSeconds = st.bucketSeconds;
      points = await this.db.query<PointDto[]>(st.sql, [deviceId, q.metric, ...st.params]);
    }
    if (points.length === 0) await this.devices.assertExists(deviceId);
    return { ...base, bucketSeconds, points };
  }

  /**
   * The whole hours' counts of `device:metric` pairs, one statement per device rather than one per series (a device
   * page of 12 metrics: 12 statements fewer). Pairs without readings there are absent (count 0).
   */
  private async countWholeHoursOf(pairs: string[], from: Date, to: Date): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const [a, b] = wholeHours(from, to);
    if (a >= b) return counts;
    const byDevice = new Map<string, string[]>();
    for (const s of pairs) {
      const [deviceId, metric] = s.split(':');
      byDevice.set(deviceId, [...(byDevice.get(deviceId) ?? []), metric]);
    }
    await Promise.all(
      [...byDevice].map(async ([deviceId, metrics]) => {
        const rows = await this.db.query<{ metric: string; n: number }[]>(ROLLUP_COUNTS_SQL, [
          deviceId,
          metrics,
          a,
          b,
        ]);
        for (const r of rows) counts.set(`${deviceId}:${r.metric}`, r.n);
      }),
    );
    return counts;
  }

  private async countWholeHours(deviceId: string, metric: string, a: Date, b: Date): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }[]>(ROLLUP_COUNT_SQL, [deviceId, metric, a, b]);
    return n;
  }

  /**
   * Every metric of the devices with readings in the last `window` seconds, averaged in at most `points` buckets, in
   * one statement: the overview's trend lines for hundreds of devices in a request. Unknown ids simply have no series.
   */
  async sparklines(q: SparklinesQueryDto): Promise<SparklinesDto> {
    // a closed window of w seconds touches at most ⌊w / width⌋ + 1 aligned buckets: ≤ points for this width
    const bucketSeconds = Math.ceil(q.window / (q.points - 1));
    const rows = await this.db.query<{ device_id: string; metric: string; ts: Date; avg: number }[]>(
      SPARKLINES_SQL,
      [q.devices, `${q.window} seconds`, `${bucketSeconds} seconds`],
    );
    const series: SparklineSeriesDto[] = [];
    let last: SparklineSeriesDto | undefined;
    for (const r of rows) {
      if (last?.deviceId !== r.device_id || last.metric !== r.metric) {
        last = { deviceId: r.device_id, metric: r.metric, points: [] };
        series.push(last);
      }
      last.points.push({ ts: r.ts, avg: r.avg });
    }
    return { window: q.window, points: q.points, bucketSeconds, series };
  }

  /**
   * CSV of the raw rows in the range, streamed through a server-side cursor (pg-query-stream over a pooled
   * connection): memory stays constant whatever the size. The connection is released when the stream ends or the
   * client goes away.
   */
  async exportCsv(deviceId: string, q: ExportQueryDto): Promise<Readable> {
    const { from, to } = range(q);
    await this.devices.assertExists(deviceId);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    const out = new PassThrough();
    try {
      const params: unknown[] = q.metric ? [deviceId, from, to, q.metric] : [deviceId, from, to];
      const rows = await runner.stream(EXPORT_SQL(!!q.metric), params);
      // the unit from the metric catalog (empty when it names none): `npm run import` reads the file back as it is
      const catalog = this.catalog.current;
      const units = new Map<string, string>();
      const unitOf = (metric: string) => {
        let u = units.get(metric);
        if (u === undefined) units.set(metric, (u = csvField(catalog.get(metric)?.unit ?? '')));
        return u;
      };
      const toCsv = new Transform({
        writableObjectMode: true,
        transform(r: { metric: string; ts: Date; value: number }, _enc, done) {
          done(null, `${deviceId},${r.metric},${r.ts.toISOString()},${r.value},${unitOf(r.metric)}\n`);
        },
      });
      out.write(`${EXPORT_CSV_HEADER}\n`);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rows.destroy();
        void runner.release();
      };
      out.once('close', release);
      rows.once('error', (e) => {
        release();
        out.destroy(e);
      });
      toCsv.once('end', release);
      rows.pipe(toCsv).pipe(out);
      return out;
    } catch (e) {
      await runner.release();
      throw e;
    }
  }

  /** 400 for a zone PostgreSQL does not know (none: fine) */
  private async assertTimeZone(tz: string | undefined): Promise<void> {
    if (tz !== undefined && !(await this.timeZones()).has(tz)) {
      throw badRequest(`unknown time zone ${tz}`, [{ field: 'tz', errors: ['not in pg_timezone_names'] }]);
    }
  }

  /** Valid zone names, read once (pg_timezone_names scans the zone files: too slow per request). */
  private timeZones(): Promise<Set<string>> {
    this.zones ??= this.db
      .query<{ name: string }[]>('SELECT name FROM pg_timezone_names')
      .then((rows) => new Set(rows.map((r) => r.name)))
      .catch((e) => {
        this.zones = undefined;
        throw e;
      });
    return this.zones;
  }
}

/**
 * The statement of a bucketed series over [from, to) and its parameters after $1 (device) and $2 (metric): the daily
 * rollup for whole-day widths (UTC), the hourly one for whole hours, else the raw rows; local days in zone q.tz.
 */
function bucketStatement(
  q: ReadingsQueryDto | SeriesQueryDto,
  from: Date,
  to: Date,
): { bucketSeconds: number; sql: string; params: unknown[] } {
  const bucketSeconds = chooseBucketSeconds(to.getTime() - from.getTime(), q.maxPoints);
  const local = q.tz !== undefined && bucketSeconds >= DAY_SECONDS;
  const [a, b] = wholeHours(from, to);
  const params: unknown[] = [from, to, `${bucketSeconds} seconds`];
  let sql: string;
  if (bucketSeconds % DAY_SECONDS === 0 && !local) {
    sql = DAILY_BUCKET_SQL;
    params.push(a, b, ...wholeDays(a, b));
  } else if (bucketSeconds % HOUR_SECONDS === 0) {
    sql = local ? ROLLUP_LOCAL_BUCKET_SQL : ROLLUP_BUCKET_SQL;
    params.push(a, b);
  } else {
    sql = local ? LOCAL_BUCKET_SQL : BUCKET_SQL;
  }
  if (local) params.push(q.tz);
  return { bucketSeconds, sql, params };
}

/** a series with min, avg and max at `digits` significant digits */
const rounded =
  (digits: number) =>
  (s: ReadingsDto): ReadingsDto => {
    const r = (v: number) => Number(v.toPrecision(digits));
    return { ...s, points: s.points.map((p) => ({ ...p, min: r(p.min), avg: r(p.avg), max: r(p.max) })) };
  };

export const EXPORT_CSV_HEADER = 'device_id,metric,ts,value,unit';

/** a CSV field: quoted when it holds a comma, a quote or a line break (a unit is free text in the catalog) */
const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function range(q: RangeQueryDto): { from: Date; to: Date } {
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
  if (from >= to)
    throw badRequest('from must be before to', [{ field: 'from', errors: ['must be before to'] }]);
  return { from, to };
}
