import { colorScheme } from '../../core/theme';

/** How many distinct series colours tokens.css defines (`--series-1` … `--series-16`). */
export const PALETTE_SIZE = 16;

const docRoot = (): Element | null => globalThis.document?.documentElement ?? null;

/**
 * A colour token's value as a canvas can use it, or null when the token is not defined. ECharts draws on a canvas,
 * which cannot read CSS variables; a token written `light-dark(light, dark)` gives the half of the current scheme.
 * Reads colorScheme(), so a computed that calls it runs again when the scheme changes.
 */
export function tokenColor(name: string, root: Element | null = docRoot()): string | null {
  const scheme = colorScheme();
  if (!root) return null;
  const raw = getComputedStyle(root).getPropertyValue(name).trim();
  if (!raw) return null;
  const pair = lightDark(raw);
  return pair ? pair[scheme === 'dark' ? 1 : 0] : raw;
}

/** `light-dark(a, b)` → [a, b] (split at its top-level comma: `rgba(…)` has commas of its own); null otherwise. */
export function lightDark(value: string): [string, string] | null {
  const m = /^light-dark\((.*)\)$/s.exec(value);
  if (!m) return null;
  let depth = 0;
  for (let i = 0; i < m[1].length; i++) {
    const c = m[1][i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) return [m[1].slice(0, i).trim(), m[1].slice(i + 1).trim()];
  }
  return null;
}

/** The series colours from the design tokens, in order; where no stylesheet is loaded (unit tests) evenly spaced hues. */
export function chartPalette(root: Element | null = docRoot()): string[] {
  return Array.from(
    { length: PALETTE_SIZE },
    (_, i) => tokenColor(`--series-${i + 1}`, root) ?? `hsl(${Math.round((i * 360) / PALETTE_SIZE)} 70% 40%)`,
  );
}

/** The colour of the chart grid's lines (token `--chart-grid-line`). */
export function chartGridLine(root: Element | null = docRoot()): string {
  return tokenColor('--chart-grid-line', root) ?? '#e6e9ef';
}

/** The colours of a chart's words and frames in the current scheme: labels, legend, tooltip, loading veil. */
export interface ChartInk {
  text: string;
  muted: string;
  surface: string;
  border: string;
  mask: string;
}

export function chartInk(root: Element | null = docRoot()): ChartInk {
  return {
    text: tokenColor('--text', root) ?? '#1b2430',
    muted: tokenColor('--muted', root) ?? '#5d6b7c',
    surface: tokenColor('--surface', root) ?? '#ffffff',
    border: tokenColor('--border', root) ?? '#dde3ea',
    mask: tokenColor('--chart-mask', root) ?? 'rgba(255, 255, 255, 0.6)',
  };
}
