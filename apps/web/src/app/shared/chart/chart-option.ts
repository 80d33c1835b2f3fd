import type { EChartsCoreOption } from 'echarts/core';

import { SeriesPoint } from '../../core/api.types';
import {
  formatClock,
  formatDay,
  formatMeasure,
  formatTime,
  formatValue,
  isMidnight,
} from '../../core/format';
import { ChartAlertSpan, ChartThreshold, metricMarks } from './chart-marks';
import { chartGridLine, chartInk, chartPalette } from './palette';

export { formatMeasure, formatTime, formatValue } from '../../core/format';

export interface ChartSeriesInput {
  metric: string;
  /** from the metric catalog: shown instead of the metric name, with the unit, at `decimals` */
  label?: string;
  unit?: string;
  decimals?: number;
  points: SeriesPoint[];
  /** draw the min–max band (the points are buckets of several readings) */
  downsampled: boolean;
  /** the series' colour; default: the palette's colour at its position in the chart */
  color?: string;
}

/** Per-chart choices of the y axis: fixed limits (else fitted to the data), a log scale, the min–max band. */
export interface ChartYOptions {
  min?: number | null;
  max?: number | null;
  log?: boolean;
  /** show the min–max band of downsampled series (default true) */
  band?: boolean;
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
  y?: ChartYOptions;
  /** series colours (default: the design tokens' `--series-N`) */
  palette?: string[];
}

/** Series ids: `<metric>` for the average/raw line, `<metric>:min` and `<metric>:band` for the min–max band. */
export const seriesId = (metric: string, part?: 'min' | 'band') => (part ? `${metric}:${part}` : metric);

/** The legend / tooltip name of a series: `Temperature (°C)`, or the metric name. */
export function seriesName(s: Pick<ChartSeriesInput, 'metric' | 'label' | 'unit'>): string {
  const label = s.label ?? s.metric;
  return s.unit ? `${label} (${s.unit})` : label;
}

/** The units of a chart's series in order of appearance: the first on the left axis, the second on the right. */
export function axisUnits(series: Pick<ChartSeriesInput, 'unit'>[]): (string | undefined)[] {
  return [...new Set(series.map((s) => s.unit))];
}

/**
 * Builds the ECharts option for one chart: each metric as a line of its averages (or raw values), with a shaded
 * min–max band when the points are downsampled buckets; time axis over [from, to]; one y axis per unit (at most
 * two: left and right), fitted to the data unless limits are given; dataZoom set to `zoom`, where dragging across
 * the plot selects a window to zoom to. Pure apart from reading the palette tokens: same input, same option.
 */
export function buildChartOption(input: ChartOptionInput): EChartsCoreOption {
  const { series, from, to, zoom, timeZone, compact } = input;
  const palette = input.palette ?? chartPalette();
  const y = input.y ?? {};
  const showBand = y.band !== false;
  const lastPoint = Math.max(...series.map((s) => s.points.at(-1)?.t ?? -Infinity));
  const xMax = Math.max(to, lastPoint);
  const multi = series.length > 1;
  const units = axisUnits(series);
  const axisOf = (s: ChartSeriesInput) => Math.min(units.indexOf(s.unit), 1);

  const out: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const color = s.color ?? palette[i % palette.length];
    const yAxisIndex = axisOf(s);
    if (s.downsampled && showBand) {
      // Stacked pair: an invisible line at min, then (max − min) stacked on it with an area fill = the band.
      // stackStrategy 'all': ECharts' default stacks only values of one sign, which put a freezer's band (−19 °C)
      // on zero and stretched the axis to include it.
      const band = { type: 'line', stack: `band:${s.metric}`, stackStrategy: 'all', yAxisIndex, z: 1 };
      const quiet = { lineStyle: { opacity: 0 }, symbol: 'none', silent: true, tooltip: { show: false } };
      out.push({
        ...band,
        ...quiet,
        id: seriesId(s.metric, 'min'),
        name: seriesName(s),
        data: s.points.map((p) => [p.t, p.min]),
      });
      out.push({
        ...band,
        ...quiet,
        id: seriesId(s.metric, 'band'),
        name: seriesName(s),
        data: s.points.map((p) => [p.t, p.max - p.min]),
        areaStyle: { color, opacity: 0.16 },
      });
    }
    out.push({
      id: seriesId(s.metric),
      name: seriesName(s),
      type: 'line',
      yAxisIndex,
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

  const gridLine = chartGridLine();
  // words and frames in the page's scheme (light or dark): ECharts' own defaults are for a light page
  const ink = chartInk();
  const label = { color: ink.muted };
  const twoAxes = units.length > 1;
  return {
    // no draw-in animation: options are replaced on every live point and zoom
    animation: false,
    color: palette,
    grid: compact
      ? { left: 8, right: 12, top: multi ? 32 : 12, bottom: 28, containLabel: true }
      : { left: 12, right: twoAxes ? 12 : 24, top: multi ? 36 : 16, bottom: 64, containLabel: true },
    // one row that pages (◀ ▶) when the names do not fit: a wrapped second row would cover the top y-axis label
    legend: multi
      ? {
          type: 'scroll',
          top: 0,
          data: series.map(seriesName),
          icon: 'roundRect',
          textStyle: { color: ink.text },
          pageTextStyle: { color: ink.muted },
          pageIconColor: ink.text,
          pageIconInactiveColor: ink.border,
        }
      : { show: false },
    tooltip: {
      backgroundColor: ink.surface,
      borderColor: ink.border,
      textStyle: { color: ink.text },
      trigger: 'axis',
      axisPointer: { type: 'line' },
      confine: true,
      formatter: tooltipFormatter(series, timeZone),
    },
    // dragging across the plot selects the window to zoom to (the toolbox's zoom select, switched on by the chart
    // component; its buttons are not shown: zoom out and reset are on the page)
    toolbox: {
      show: true,
      itemSize: 0,
      showTitle: false,
      feature: { dataZoom: { xAxisIndex: 0, yAxisIndex: 'none', filterMode: 'none' } },
    },
    xAxis: {
      type: 'time',
      min: from,
      max: xMax,
      axisLabel: { ...label, hideOverlap: true, formatter: timeLabelFormatter(timeZone) },
      axisLine: { lineStyle: { color: ink.border } },
      splitLine: { show: false },
    },
    // one y axis even before there are series: a grid without one has no coordinate system, and the drag-to-zoom
    // select then throws inside ECharts and leaves the chart blank
    yAxis: (units.length ? units : [undefined]).slice(0, 2).map((unit, i) => ({
      type: y.log ? 'log' : 'value',
      // fitted to the data, not to zero; a limit the user set wins
      scale: true,
      min: y.min ?? undefined,
      max: y.max ?? undefined,
      position: i === 0 ? 'left' : 'right',
      splitLine: { show: i === 0, lineStyle: { color: gridLine } },
      axisLabel: {
        ...label,
        formatter: (v: number) => (unit ? `${formatValue(v)} ${unit}` : formatValue(v)),
      },
    })),
    dataZoom: [
      // the wheel zooms; a drag selects (no panning)
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', moveOnMouseMove: false, ...zoomWindow(zoom) },
      ...(compact
        ? []
        : [
            {
              type: 'slider',
              xAxisIndex: 0,
              filterMode: 'none',
              // no data preview in the slider: it redrew every series once more (a sixth of a chart's cost)
              showDataShadow: false,
              height: 22,
              bottom: 8,
              textStyle: label,
              borderColor: ink.border,
              labelFormatter: (v: number) => formatTime(v, timeZone, false),
              ...zoomWindow(zoom),
            },
          ]),
    ],
    series: out,
  };
}

/** Tooltip rows keyed by metric, so band values can be shown next to the average. */
function tooltipFormatter(series: ChartSeriesInput[], timeZone?: string) {
  const byMetric = new Map(series.map((s) => [s.metric, s]));
  return (params: unknown): string => {
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
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function zoomWindow(zoom: ChartOptionInput['zoom']): Record<string, number> {
  return zoom ? { startValue: zoom.start, endValue: zoom.end } : { start: 0, end: 100 };
}

/** Axis labels in the given zone: time of day, or the date at midnight. */
function timeLabelFormatter(timeZone?: string) {
  return (v: number) => {
    return isMidnight(v, timeZone) ? formatDay(v, timeZone) : formatClock(v, timeZone);
  };
}
