import { Injectable, inject } from '@angular/core';

import {
  MetricCatalogResponse,
  ReadingsResponse,
  SeriesResponse,
  SparklinesResponse,
} from '@sensorhub/contracts';

import { ApiHttp, query } from './api-http';
import { MetricInfo, ReadingsQuery, Series, Sparkline } from './api.types';

/** A series key's metric for every metric of the device (`device:*`): the answer lists each, in name order. */
export const ALL_METRICS = '*';

/** One device's metric, as GET /series names it (`device:metric`). */
export interface SeriesKey {
  deviceId: string;
  metric: string;
}

export interface DeviceSeries extends Series {
  deviceId: string;
}

/** significant digits the charts ask GET /series for (their labels show at most 6) */
export const SERIES_DIGITS = 6;

const iso = (t: number) => new Date(t).toISOString();
const readingsPath = (id: string) => `/devices/${encodeURIComponent(id)}/readings`;

/** A device's readings as chart series and CSV, the fleet's sparklines, and the metric catalog. */
@Injectable({ providedIn: 'root' })
export class ReadingsClient {
  private readonly http = inject(ApiHttp);

  async readings(deviceId: string, q: ReadingsQuery): Promise<Series> {
    const params = query({
      metric: q.metric,
      from: iso(q.from),
      to: iso(q.to),
      maxPoints: q.maxPoints,
      tz: q.tz,
    });
    return toSeries(await this.http.get<ReadingsResponse>(readingsPath(deviceId), params));
  }

  /**
   * Several series over one range in ONE request (GET /series): a device page's metrics, the compare chart's devices.
   * In the order asked, all downsampled alike (one bucket width for the range).
   */
  async series(keys: SeriesKey[], q: Omit<ReadingsQuery, 'metric'>): Promise<DeviceSeries[]> {
    if (!keys.length) return [];
    const params = query({
      series: keys.map((k) => `${k.deviceId}:${k.metric}`).join(','),
      from: iso(q.from),
      to: iso(q.to),
      maxPoints: q.maxPoints,
      tz: q.tz,
      // a chart shows no more; averages' 17 digits were most of the answer's bytes
      digits: SERIES_DIGITS,
    });
    const res = await this.http.get<SeriesResponse>('/series', params);
    return res.series.map((r) => ({ ...toSeries(r), deviceId: r.deviceId }));
  }

  /** Every metric of up to 200 devices with readings in the last windowSeconds, in at most `points` bucket means. */
  async sparklines(ids: string[], windowSeconds: number, points: number): Promise<Sparkline[]> {
    const res = await this.http.get<SparklinesResponse>(
      '/sparklines',
      query({ devices: ids.join(','), window: windowSeconds, points }),
    );
    return res.series.map((s) => ({
      deviceId: s.deviceId,
      metric: s.metric,
      points: s.points.map((p) => ({ t: Date.parse(p.ts), avg: p.avg })),
    }));
  }

  /**
   * CSV of the raw readings in [from, to] (device_id,metric,ts,value,unit), fetched with the session's token.
   * The export route takes one metric or all of them: a subset is fetched per metric and joined.
   */
  async exportCsv(deviceId: string, metrics: string[] | null, from: number, to: number): Promise<Blob> {
    const fetchOne = (metric?: string) =>
      this.http.text(`${readingsPath(deviceId)}/export`, query({ from: iso(from), to: iso(to), metric }));
    if (!metrics) return new Blob([await fetchOne()], { type: 'text/csv' });
    const [head, ...rest] = await Promise.all(metrics.map((m) => fetchOne(m)));
    const body = rest.map((p) => p.slice(p.indexOf('\n') + 1)).join('');
    return new Blob([(head ?? '') + body], { type: 'text/csv' });
  }

  async metricCatalog(): Promise<MetricInfo[]> {
    return (await this.http.get<MetricCatalogResponse>('/metrics/catalog')).metrics;
  }
}

/** Readings as a chart series: buckets (or raw readings, count 1) oldest first, times as epoch ms. */
export function toSeries(r: ReadingsResponse): Series {
  return {
    metric: r.metric,
    downsampled: r.bucketSeconds !== null,
    bucketMs: r.bucketSeconds === null ? null : r.bucketSeconds * 1000,
    points: r.points.map((p) => ({
      t: Date.parse(p.ts),
      avg: p.avg,
      min: p.min,
      max: p.max,
      count: p.count,
    })),
  };
}
