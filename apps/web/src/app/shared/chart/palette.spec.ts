import { computed } from '@angular/core';

import { chooseColorScheme } from '../../core/theme';
import { PALETTE_SIZE, chartGridLine, chartInk, chartPalette, lightDark, tokenColor } from './palette';

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

  it('is read again by a computed when the colour scheme changes (so charts redraw in the new scheme)', () => {
    let runs = 0;
    const palette = computed(() => {
      runs++;
      return chartPalette(document.createElement('div'));
    });
    palette();
    palette();
    expect(runs).toBe(1);
    chooseColorScheme('dark');
    palette();
    expect(runs).toBe(2);
    chooseColorScheme('light');
    localStorage.clear();
    delete document.documentElement.dataset['theme'];
  });

  it("gives the chart's words and frames from the tokens, with light defaults where none are loaded", () => {
    const root = document.createElement('div');
    root.style.setProperty('--text', '#010203');
    document.body.append(root);
    expect(tokenColor('--text', root)).toBe('#010203');
    expect(tokenColor('--nothing', root)).toBeNull();
    expect(tokenColor('--text', null)).toBeNull();
    expect(chartInk(root)).toEqual({
      text: '#010203',
      muted: '#5d6b7c',
      surface: '#ffffff',
      border: '#dde3ea',
      mask: 'rgba(255, 255, 255, 0.6)',
    });
    root.remove();
  });

  it("takes a light-dark() token's half of the current scheme", () => {
    expect(lightDark('light-dark(#fff, #000)')).toEqual(['#fff', '#000']);
    expect(lightDark('light-dark(rgba(255, 255, 255, 0.6), rgba(13, 17, 23, 0.6))')).toEqual([
      'rgba(255, 255, 255, 0.6)',
      'rgba(13, 17, 23, 0.6)',
    ]);
    expect(lightDark('#123456')).toBeNull();
    const root = document.createElement('div');
    root.style.setProperty('--series-1', 'light-dark(#0f6cbd, #4c9cf0)');
    document.body.append(root);
    chooseColorScheme('light');
    expect(tokenColor('--series-1', root)).toBe('#0f6cbd');
    chooseColorScheme('dark');
    expect(tokenColor('--series-1', root)).toBe('#4c9cf0');
    chooseColorScheme('light');
    localStorage.clear();
    delete document.documentElement.dataset['theme'];
    root.remove();
  });
});
