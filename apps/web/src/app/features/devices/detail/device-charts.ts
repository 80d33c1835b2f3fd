import { AlertItem, Series, SeriesPoint } from '../../../core/api.types';
import { fileStamp, formatMeasure } from '../../../core/format';
import type { MetricCatalog } from '../../../core/metric-catalog';
import { ChartOptionInput, ChartSeriesInput } from '../../../shared/chart/chart-option';
import { chartPalette } from '../../../shared/chart/palette';
import { ChartLayout } from './range-toolbar.component';

export interface ChartPanel {
  key: string;
  title: string;
  /** the resolution of what is drawn, and the last value */
  note: string;
  /** what to draw (the y-axis choices are the panel's own, added by the grid) */
  input: ChartOptionInput;
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
  /** every metric of the device in order: a metric's colour is its place here, on every panel */
  metrics?: string[];
  /** the range ends now: its last value is the latest one */
  live?: boolean;
  palette?: string[];
}

/**
 * The device page's chart panels: one per metric, or overlays — each overlay holds at most two units (left and
 * right axis), so metrics of a third unit start another overlay.
 */
export function buildChartPanels(p: ChartPanelsInput): ChartPanel[] {
  const { series, fine } = p;
  const palette = p.palette ?? chartPalette();
  const order = p.metrics ?? series.map((s) => s.metric);
  const toInput = (s: Series): ChartSeriesInput => {
    const { displayName, unit, decimals } = p.catalog.info(s.metric);
    const at = Math.max(order.indexOf(s.metric), 0);
    return {
      metric: s.metric,
      label: displayName,
      unit,
      decimals,
      points: s.points,
      downsampled: s.downsampled,
      color: palette[at % palette.length],
    };
  };
  const input = (ss: Series[]): ChartOptionInput => ({
    series: ss.map(toInput),
    from: p.from,
    to: p.to,
    zoom: p.zoom,
    timeZone: p.timeZone,
    compact: p.compact,
    thresholds: p.thresholds,
    alerts: p.alerts,
    palette,
  });
  const note = (ss: Series[]) => {
    // when zoomed, describe the resolution of what is on screen
    const shown = fine ? fine.filter((f) => ss.some((x) => x.metric === f.metric)) : ss;
    const s = shown.find((x) => x.bucketMs !== null);
    return s ? `averages${s.bucketMs ? ' per ' + duration(s.bucketMs) : ''}, band = min–max` : 'raw readings';
  };
  if (p.layout === 'overlay' && series.length > 1) {
    return unitGroups(series, (s) => p.catalog.info(s.metric).unit).map((group, i) => ({
      key: i === 0 ? 'overlay' : `overlay-${i + 1}`,
      title: group.map((s) => p.catalog.label(s.metric)).join(' · '),
      note: note(group),
      input: input(group),
      empty: group.every((s) => !s.points.length),
    }));
  }
  return series.map((s) => {
    const { unit, decimals } = p.catalog.info(s.metric);
    const last = s.points.at(-1);
    const lastWord = p.live === false ? 'last in range' : 'latest';
    return {
      key: s.metric,
      title: p.catalog.labelWithUnit(s.metric),
      note: `${note([s])}${last ? ` · ${lastWord} ${formatMeasure(last.avg, unit, decimals)}` : ''}`,
      input: input([s]),
      empty: !s.points.length,
    };
  });
}

/** Series in groups of at most two units, in order of first appearance. */
function unitGroups(series: Series[], unitOf: (s: Series) => string | undefined): Series[][] {
  const units = [...new Set(series.map(unitOf))];
  const groups: Series[][] = [];
  for (let i = 0; i < units.length; i += 2) {
    const pair = units.slice(i, i + 2);
    groups.push(series.filter((s) => pair.includes(unitOf(s))));
  }
  return groups;
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

/** Saves a CSV export as `<device>_<from>_<to>.csv`, the times local as on the page (`2026-11-29T1405`). */
export function downloadCsv(blob: Blob, deviceId: string, from: number, to: number, timeZone?: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = csvFileName(deviceId, from, to, timeZone);
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function csvFileName(deviceId: string, from: number, to: number, timeZone?: string): string {
  return `${deviceId}_${fileStamp(from, timeZone)}_${fileStamp(to, timeZone)}.csv`;
}
