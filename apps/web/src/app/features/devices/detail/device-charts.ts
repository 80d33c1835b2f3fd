import type { EChartsCoreOption } from 'echarts/core';

import { AlertItem, Series, SeriesPoint } from '../../../core/api.types';
import type { MetricCatalog } from '../../../core/metric-catalog';
import { ChartOptionInput, buildChartOption, formatMeasure } from '../../../shared/chart/chart-option';
import { ChartLayout } from './range-toolbar.component';

export interface ChartPanel {
  key: string;
  title: string;
  /** the resolution of what is drawn, and the latest value */
  note: string;
  option: EChartsCoreOption;
  empty: boolean;
}

export interface ChartPanelsInput extends Pick<
  ChartOptionInput,
  'from' | 'to' | 'zoom' | 'timeZone' | 'compact' | 'thresholds' | 'alerts'
> {
  /** the range's series with the zoomed window and live points merged in */
  series: Series[];
  /** the zoomed window's own series, when zoomed */
  fine: Series[] | null;
  layout: ChartLayout;
  /** display names, units and decimals */
  catalog: Pick<MetricCatalog, 'info' | 'label' | 'labelWithUnit'>;
}

/** The device page's chart panels: one per metric, or one overlay of all. */
export function buildChartPanels(p: ChartPanelsInput): ChartPanel[] {
  const { series, fine } = p;
  const opt = (ss: Series[]) =>
    buildChartOption({
      series: ss.map((s) => {
        const { displayName, unit, decimals } = p.catalog.info(s.metric);
        return {
          metric: s.metric,
          label: displayName,
          unit,
          decimals,
          points: s.points,
          downsampled: s.downsampled,
        };
      }),
      from: p.from,
      to: p.to,
      zoom: p.zoom,
      timeZone: p.timeZone,
      compact: p.compact,
      thresholds: p.thresholds,
      alerts: p.alerts,
    });
  const note = (ss: Series[]) => {
    // when zoomed, describe the resolution of what is on screen
    const shown = fine ? fine.filter((f) => ss.some((x) => x.metric === f.metric)) : ss;
    const s = shown.find((x) => x.bucketMs !== null);
    return s ? `averages${s.bucketMs ? ' per ' + duration(s.bucketMs) : ''}, band = min–max` : 'raw readings';
  };
  if (p.layout === 'overlay' && series.length > 1) {
    return [
      {
        key: 'overlay',
        title: series.map((s) => p.catalog.label(s.metric)).join(' · '),
        note: note(series),
        option: opt(series),
        empty: series.every((s) => !s.points.length),
      },
    ];
  }
  return series.map((s) => {
    const { unit, decimals } = p.catalog.info(s.metric);
    const latest = s.points.at(-1);
    return {
      key: s.metric,
      title: p.catalog.labelWithUnit(s.metric),
      note: `${note([s])}${latest ? ' · latest ' + formatMeasure(latest.avg, unit, decimals) : ''}`,
      option: opt([s]),
      empty: !s.points.length,
    };
  });
}

/** A bucket width in words: 30 s, 5 min, 1.5 h, 2 d. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${+(ms / 86_400_000).toFixed(1)} d`;
}

/** live points per metric, received since the range was loaded */
export type LiveTail = Record<string, SeriesPoint[]>;

/** The range's series with the zoomed window's finer points in place of its buckets, and live points appended. */
export function mergeSeries(
  base: Series[],
  zoom: { start: number; end: number } | null,
  fine: Series[],
  tail: LiveTail,
): Series[] {
  return base.map((s) => {
    let points = s.points;
    const f = fine.find((x) => x.metric === s.metric);
    if (zoom && f)
      points = [
        ...points.filter((p) => p.t < zoom.start),
        ...f.points,
        ...points.filter((p) => p.t > zoom.end),
      ];
    const last = points.at(-1)?.t ?? -Infinity;
    const extra = (tail[s.metric] ?? []).filter((p) => p.t > last);
    return { ...s, points: extra.length ? [...points, ...extra] : points };
  });
}

/** The thresholds of a device's firing alerts, as lines on their metric's chart. */
export function alertThresholds(firing: AlertItem[], deviceId: string): ChartOptionInput['thresholds'] {
  return firing
    .filter((a) => a.deviceId === deviceId)
    .flatMap((a) =>
      [a.threshold, a.thresholdHigh]
        .filter((v): v is number => v !== null)
        .map((value) => ({ metric: a.metric, value, label: `${a.ruleName} (${a.severity})` })),
    );
}

/** Saves a CSV export as `<device>_<from>_<to>.csv` (UTC minutes, no colons). */
export function downloadCsv(blob: Blob, deviceId: string, from: number, to: number): void {
  const minute = (t: number) => new Date(t).toISOString().slice(0, 16);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${deviceId}_${minute(from)}_${minute(to)}.csv`.replace(/:/g, '');
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
