import { ChartYOptions } from '../../../shared/chart/chart-option';

/** Each panel's y-axis choices by panel key (a metric, or `overlay`): limits, log scale, band off. */
export type PanelAxes = Record<string, ChartYOptions>;

/**
 * The `y` query value: `temperature:-20..5:noband,co2:log` — per panel its key, then `min..max` (either side may be
 * empty), `log` and `noband` in any order. Anything unreadable is left out, never an error: a shared link still opens.
 */
export function parseAxes(text: string | null | undefined): PanelAxes {
  const out: PanelAxes = {};
  for (const panel of (text ?? '').split(',')) {
    const [key, ...parts] = panel.split(':');
    if (!/^[a-z0-9_-]{1,64}$/.test(key ?? '')) continue;
    const y: ChartYOptions = {};
    for (const part of parts) {
      if (part === 'log') y.log = true;
      else if (part === 'noband') y.band = false;
      else if (part.includes('..')) {
        const [min, max] = part.split('..').map(limit);
        if (min !== undefined) y.min = min;
        if (max !== undefined) y.max = max;
      }
    }
    if (Object.keys(y).length) out[key] = y;
  }
  return out;
}

/** The `y` query value of `axes`, panels in key order; null when every axis is at its default. */
export function formatAxes(axes: PanelAxes): string | null {
  const panels = Object.keys(axes)
    .sort()
    .map((key) => {
      const y = axes[key];
      const parts = [key];
      if (y.min != null || y.max != null) parts.push(`${y.min ?? ''}..${y.max ?? ''}`);
      if (y.log) parts.push('log');
      if (y.band === false) parts.push('noband');
      return parts.length > 1 ? parts.join(':') : null;
    })
    .filter((p): p is string => p !== null);
  return panels.length ? panels.join(',') : null;
}

/** a limit as typed in the URL: a finite number, else none */
function limit(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}
