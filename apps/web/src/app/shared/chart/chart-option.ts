import type { EChartsCoreOption } from 'echarts/core';

import { SeriesPoint } from '../../core/api.types';
import { ChartAlertSpan, ChartThreshold, metricMarks } from './chart-marks';

export interface ChartSeriesInput {
  metric: string;
  /** from the metric catalog: shown instead of the metric name, with the unit, at `decimals` */
  label?: string;
  unit?: string;
  decimals?: number;
  points: SeriesPoint[];
  /** draw the min–max band (the points are buckets of several readings) */
  downsampled: boolean;
}

export interface ChartOptionInput {
  series: ChartSeriesInput[];
  /** the requested range, epoch ms: the x axis spans at least this */
  from: number;
  to: number;
  /** the visible window inside the range (dataZoom); null = all */
  zoom?: { start: number; end: number } | null;
  /** IANA zone for labels; default: the browser's */
  timeZone?: string;
  /** smaller paddings, no slider (phone width) */
  compact?: boolean;
  /** horizontal lines (alert thresholds, clear thresholds) drawn on a metric's line */
  thresholds?: ChartThreshold[];
  /** when alerts fired and resolved: shaded spans with pins on the metric's line */
  alerts?: ChartAlertSpan[];
}

export const PALETTE = [
  '#0f6cbd',
  '#c4314b',
  '#13a10e',
  '#8764b8',
  '#ca5010',
  '#038387',
  '#5c2e91',
  '#986f0b',
];

/** Series ids: `<metric>` for the average/raw line, `<metric>:min` and `<metric>:band` for the min–max band. */
export const seriesId = (metric: string, part?: 'min' | 'band') => (part ? `${metric}:${part}` : metric);

export function formatTime(t: number, timeZone?: string, withSeconds = true): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(t);
}

/** A value at the catalog's `decimals`, else at a precision that suits its size. */
export function formatValue(v: number, decimals?: number): string {
  if (decimals !== undefined)
    return v.toLocaleString(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const a = Math.abs(v);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : 2;
  return v.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** A value with its unit (`21.5 °C`), or the bare value when the metric has none. */
export function formatMeasure(v: number, unit?: string, decimals?: number): string {
  return unit ? `${formatValue(v, decimals)} ${unit}` : formatValue(v, decimals);
}

/** The legend / tooltip name of a series: `Temperature (°C)`, or the metric name. */
export function seriesName(s: Pick<ChartSeriesInput, 'metric' | 'label' | 'unit'>): string {
  const label = s.label ?? s.metric;
  return s.unit ? `${label} (${s.unit})` : label;
}

/**
 * Builds the ECharts option for one chart: each metric as a line of its averages (or raw values), with a shaded
 * min–max band when the points are downsampled buckets; time axis over [from, to] in the browser's time zone;
 * dataZoom (inside + slider) set to `zoom`. Pure: same input, same option.
 */
export function buildChartOption(input: ChartOptionInput): EChartsCoreOption {
  const { series, from, to, zoom, timeZone, compact } = input;
  const lastPoint = Math.max(...series.map((s) => s.points.at(-1)?.t ?? -Infinity));
  const xMax = Math.max(to, lastPoint);
  const multi = series.length > 1;
  const units = new Set(series.map((s) => s.unit));
  const axisUnit = units.size === 1 ? [...units][0] : undefined;

  const out: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (s.downsampled) {
      // Stacked pair: an invisible line at min, then (max − min) stacked on it with an area fill = the band.
      out.push({
        id: seriesId(s.metric, 'min'),
        name: seriesName(s),
        type: 'line',
        stack: `band:${s.metric}`,
        data: s.points.map((p) => [p.t, p.min]),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
        z: 1,
      });
      out.push({
        id: seriesId(s.metric, 'band'),
        name: seriesName(s),
        type: 'line',
        stack: `band:${s.metric}`,
        data: s.points.map((p) => [p.t, p.max - p.min]),
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.16 },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
        z: 1,
      });
    }
    out.push({
      id: seriesId(s.metric),
      name: seriesName(s),
      type: 'line',
      data: s.points.map((p) => [p.t, p.avg]),
      color,
      lineStyle: { width: 1.6, color },
      showSymbol: s.points.length < 60,
      symbolSize: 4,
      sampling: s.points.length > 2000 ? 'lttb' : undefined,
      z: 3,
      ...metricMarks(s.metric, s.points, xMax, input.thresholds, input.alerts),
    });
  });

  // Tooltip rows keyed by metric, so band values can be shown next to the average.
  const byMetric = new Map(series.map((s) => [s.metric, s]));
  const tooltipFormatter = (params: unknown): string => {
    const rows = (Array.isArray(params) ? params : [params]) as {
      seriesId: string;
      value: [number, number];
      color: string;
      dataIndex: number;
    }[];
    const main = rows.filter((r) => !r.seriesId.includes(':'));
    if (!main.length) return '';
    const head = `<div class="tt-time">${formatTime(main[0].value[0], timeZone)}</div>`;
    const body = main
      .map((r) => {
        const s = byMetric.get(r.seriesId);
        const p = s?.points[r.dataIndex];
        const d = s?.decimals;
        const band =
          s?.downsampled && p && p.count > 1
            ? ` <span class="tt-band">(${formatValue(p.min, d)} – ${formatValue(p.max, d)}, n=${p.count})</span>`
            : '';
        const name = escapeHtml(s ? (s.label ?? s.metric) : r.seriesId);
        const value = escapeHtml(formatMeasure(r.value[1], s?.unit, d));
        return `<div><span class="tt-dot" style="background:${r.color}"></span>${name}: <b>${value}</b>${band}</div>`;
      })
      .join('');
    return head + body;
  };

  return {
    // no draw-in animation: options are replaced on every live point and zoom
    animation: false,
    color: PALETTE,
    grid: compact
      ? { left: 8, right: 12, top: multi ? 32 : 12, bottom: 28, containLabel: true }
      : { left: 12, right: 24, top: multi ? 36 : 16, bottom: 64, containLabel: true },
    legend: multi ? { top: 0, data: series.map(seriesName), icon: 'roundRect' } : { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      confine: true,
      formatter: tooltipFormatter,
    },
    xAxis: {
      type: 'time',
      min: from,
      max: xMax,
      axisLabel: { hideOverlap: true, formatter: timeLabelFormatter(timeZone) },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      scale: true,
      splitLine: { lineStyle: { color: '#e6e9ef' } },
      // one unit for every series: on the axis labels (several units: in the legend names only)
      axisLabel: { formatter: (v: number) => (axisUnit ? `${formatValue(v)} ${axisUnit}` : formatValue(v)) },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', ...zoomWindow(zoom) },
      ...(compact
        ? []
        : [
            {
              type: 'slider',
              xAxisIndex: 0,
              filterMode: 'none',
              height: 22,
              bottom: 8,
              labelFormatter: (v: number) => formatTime(v, timeZone, false),
              ...zoomWindow(zoom),
            },
          ]),
    ],
    series: out,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function zoomWindow(zoom: ChartOptionInput['zoom']): Record<string, number> {
  return zoom ? { startValue: zoom.start, endValue: zoom.end } : { start: 0, end: 100 };
}

/** Axis labels in the given zone: time of day, or the date at midnight. */
function timeLabelFormatter(timeZone?: string) {
  const time = new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' });
  const date = new Intl.DateTimeFormat(undefined, { timeZone, month: 'short', day: 'numeric' });
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (v: number) => (clock.format(v) === '00:00' ? date.format(v) : time.format(v));
}
