/** How many distinct series colours tokens.css defines (`--series-1` … `--series-16`). */
export const PALETTE_SIZE = 16;

/**
 * The series colours from the design tokens, in order. ECharts draws on a canvas, which cannot read CSS variables,
 * so they are resolved here; where no stylesheet is loaded (unit tests) evenly spaced hues stand in.
 */
export function chartPalette(root: Element | null = globalThis.document?.documentElement ?? null): string[] {
  const style = root ? getComputedStyle(root) : null;
  return Array.from({ length: PALETTE_SIZE }, (_, i) => {
    const token = style?.getPropertyValue(`--series-${i + 1}`).trim();
    return token || `hsl(${Math.round((i * 360) / PALETTE_SIZE)} 70% 40%)`;
  });
}

/** The colour of the chart grid's lines (token `--chart-grid-line`). */
export function chartGridLine(root: Element | null = globalThis.document?.documentElement ?? null): string {
  return (root && getComputedStyle(root).getPropertyValue('--chart-grid-line').trim()) || '#e6e9ef';
}
