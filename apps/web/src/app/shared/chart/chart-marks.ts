import { AlertItem, AlertSeverity, SeriesPoint } from '../../core/api.types';
import { tokenColor } from './palette';

/** A horizontal line on a metric's chart: an alert threshold, or (`clear`) the value an alert clears past. */
export interface ChartThreshold {
  metric: string;
  value: number;
  label: string;
  clear?: boolean;
}

/** A time an alert was firing on a metric: shaded from `from` to `to` (null: still firing), pinned at both ends. */
export interface ChartAlertSpan {
  metric: string;
  from: number;
  to: number | null;
  label: string;
  severity: AlertSeverity;
  /** the value that fired it / resolved it, when known (else the pin sits on the nearest point) */
  fromValue?: number | null;
  toValue?: number | null;
}

/**
 * The marks' colours in the current scheme, from the tokens (`--mark-*` in tokens.css; these fallbacks where no
 * stylesheet is loaded). Reads colorScheme() through tokenColor, so chart options rebuild when the scheme changes.
 */
function markColors() {
  const c = (name: string, fallback: string) => tokenColor(`--mark-${name}`) ?? fallback;
  return {
    severity: {
      critical: c('critical', '#d92d20'),
      warning: c('warning', '#dc6803'),
      info: c('info', '#1570ef'),
    } as Record<AlertSeverity, string>,
    threshold: c('threshold', '#d92d20'),
    thresholdText: c('threshold-text', '#b42318'),
    clear: c('clear', '#667085'),
    clearText: c('clear-text', '#475467'),
    resolved: c('resolved', '#12b76a'),
  };
}

/** markLine (thresholds), markArea and markPoint (alert spans) of one metric's line; {} when it has none. */
export function metricMarks(
  metric: string,
  points: SeriesPoint[],
  xMax: number,
  thresholds: ChartThreshold[] = [],
  alerts: ChartAlertSpan[] = [],
): Record<string, unknown> {
  const lines = thresholds.filter((t) => t.metric === metric);
  const spans = alerts.filter((a) => a.metric === metric);
  const out: Record<string, unknown> = {};
  if (!lines.length && !spans.length) return out;
  const color = markColors();
  if (lines.length)
    out['markLine'] = {
      silent: true,
      symbol: 'none',
      label: { formatter: '{b}', position: 'insideEndTop', fontSize: 11 },
      data: lines.map((t) => ({
        name: t.label,
        yAxis: t.value,
        lineStyle: {
          color: t.clear ? color.clear : color.threshold,
          type: t.clear ? 'dotted' : 'dashed',
          width: 1.2,
        },
        label: { color: t.clear ? color.clearText : color.thresholdText },
      })),
    };
  if (!spans.length) return out;
  out['markArea'] = {
    silent: true,
    data: spans.map((a) => [
      {
        name: a.label,
        xAxis: a.from,
        itemStyle: { color: color.severity[a.severity], opacity: 0.12 },
        label: { show: false },
      },
      { xAxis: a.to ?? xMax },
    ]),
  };
  const pin = (t: number, v: number | null | undefined, name: string, color: string, symbol: string) => {
    const y = v ?? nearest(points, t);
    return y === null ? [] : [{ name, coord: [t, y], itemStyle: { color }, symbol }];
  };
  out['markPoint'] = {
    symbolSize: 22,
    label: { show: false },
    data: spans.flatMap((a) => [
      ...pin(a.from, a.fromValue, `fired: ${a.label}`, color.severity[a.severity], 'pin'),
      ...(a.to === null ? [] : pin(a.to, a.toValue, `resolved: ${a.label}`, color.resolved, 'pin')),
    ]),
  };
  return out;
}

/** The value drawn nearest to time t (averages), or null when there are no points. */
function nearest(points: SeriesPoint[], t: number): number | null {
  let best: SeriesPoint | null = null;
  for (const p of points) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
  return best ? best.avg : null;
}

/** Firing/resolved transitions in time order as spans (a firing without a later resolve is still open). */
export function spansOf(
  transitions: { kind: 'firing' | 'resolved'; at: number; value: number | null }[],
  span: Pick<ChartAlertSpan, 'metric' | 'label' | 'severity'>,
): ChartAlertSpan[] {
  const out: ChartAlertSpan[] = [];
  for (const t of transitions) {
    const open = out.at(-1);
    if (t.kind === 'firing' && (!open || open.to !== null))
      out.push({ ...span, from: t.at, to: null, fromValue: t.value });
    else if (t.kind === 'resolved' && open && open.to === null) {
      open.to = t.at;
      open.toValue = t.value;
    }
  }
  return out;
}

/** The alerts that were firing at some time in [from, to], as spans (pending ones never fired: left out). */
export function alertSpans(alerts: AlertItem[], from: number, to: number): ChartAlertSpan[] {
  return alerts
    .filter((a) => a.firedAt !== null && a.firedAt <= to && (a.resolvedAt === null || a.resolvedAt >= from))
    .map((a) => ({
      metric: a.metric,
      from: a.firedAt!,
      to: a.resolvedAt,
      label: `${a.ruleName} (${a.severity})`,
      severity: a.severity,
    }));
}
