import { formatMeasure, formatTime, formatValue } from '../../core/format';
import { ChartAlertSpan, ChartThreshold } from './chart-marks';
import { ChartSeriesInput, seriesName } from './chart-option';

export interface ChartTable {
  columns: string[];
  rows: { t: number; cells: string[] }[];
  /** thresholds and alert spans in words */
  marks: string[];
}

/**
 * What a chart draws, as a table (the text alternative of the canvas, and what copy-paste takes): a row per time,
 * per series its value (average) and, for downsampled buckets, their min and max. Times in the page's format.
 */
export function buildChartTable(
  series: ChartSeriesInput[],
  opts: {
    timeZone?: string;
    window?: { start: number; end: number } | null;
    thresholds?: ChartThreshold[];
    alerts?: ChartAlertSpan[];
  } = {},
): ChartTable {
  const w = opts.window;
  const inWindow = (t: number) => !w || (t >= w.start && t <= w.end);
  const columns = ['Time'];
  for (const s of series) {
    const name = seriesName(s);
    columns.push(...(s.downsampled ? [`${name} avg`, `${name} min`, `${name} max`] : [name]));
  }
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))]
    .filter(inWindow)
    .sort((a, b) => a - b);
  const byTime = series.map((s) => new Map(s.points.map((p) => [p.t, p])));
  const rows = times.map((t) => ({
    t,
    cells: [
      formatTime(t, opts.timeZone),
      ...series.flatMap((s, i) => {
        const p = byTime[i].get(t);
        const v = (x: number | undefined) => (x === undefined ? '' : formatValue(x, s.decimals));
        return s.downsampled ? [v(p?.avg), v(p?.min), v(p?.max)] : [v(p?.avg)];
      }),
    ],
  }));
  const metrics = new Map(series.map((s) => [s.metric, s]));
  const marks = [
    ...(opts.thresholds ?? [])
      .filter((t) => metrics.has(t.metric))
      .map((t) => {
        const s = metrics.get(t.metric)!;
        return `${t.clear ? 'Clears past' : 'Threshold'} ${formatMeasure(t.value, s.unit, s.decimals)}: ${t.label}`;
      }),
    ...(opts.alerts ?? [])
      .filter((a) => metrics.has(a.metric))
      .map(
        (a) =>
          `${a.label} fired ${formatTime(a.from, opts.timeZone)}, ` +
          (a.to === null ? 'still firing' : `resolved ${formatTime(a.to, opts.timeZone)}`),
      ),
  ];
  return { columns, rows, marks };
}
