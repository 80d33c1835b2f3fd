import { PALETTE_SIZE, chartGridLine, chartPalette } from './palette';

describe('chartPalette', () => {
  it('reads the 16 series colours from the design tokens', () => {
    const root = document.createElement('div');
    for (let i = 1; i <= PALETTE_SIZE; i++)
      root.style.setProperty(`--series-${i}`, `#0000${String(i).padStart(2, '0')}`);
    root.style.setProperty('--chart-grid-line', '#eeeeee');
    document.body.append(root);
    const palette = chartPalette(root);
    expect(palette).toHaveLength(16);
    expect(palette[0]).toBe('#000001');
    expect(new Set(palette).size).toBe(16);
    expect(chartGridLine(root)).toBe('#eeeeee');
    root.remove();
  });

  it('falls back to 16 distinct hues where no stylesheet is loaded', () => {
    const palette = chartPalette(document.createElement('div'));
    expect(new Set(palette).size).toBe(16);
    expect(chartGridLine(null)).toBe('#e6e9ef');
  });
});
