import { AlertItem, MetricInfo, Series, SeriesPoint } from '../../../core/api.types';
import { alertThresholds, buildChartPanels, csvFileName, duration, mergeSeries } from './device-charts';

const pt = (t: number, avg: number): SeriesPoint => ({ t, avg, min: avg, max: avg, count: 1 });
const series = (metric: string, points: SeriesPoint[], bucketMs: number | null = 60_000): Series => ({
  metric,
  downsampled: bucketMs !== null,
  bucketMs,
  points,
});
const catalog = {
  info: (m: string): MetricInfo =>
    m === 'temperature' ? { name: m, displayName: 'Temperature', unit: '°C', decimals: 1 } : { name: m },
  label: (m: string) => (m === 'temperature' ? 'Temperature' : m),
  labelWithUnit: (m: string) => (m === 'temperature' ? 'Temperature (°C)' : m),
};

describe('device charts', () => {
  it('puts the zoomed window’s finer points in place of its buckets, and appends only newer live points', () => {
    const base = [series('temperature', [pt(0, 1), pt(100, 2), pt(200, 3), pt(300, 4)])];
    const fine = [series('temperature', [pt(90, 20), pt(110, 21), pt(190, 22)], 10)];
    const tail = { temperature: [pt(250, 9), pt(400, 5)] };

    const merged = mergeSeries(base, { start: 50, end: 250 }, fine, tail);

    expect(merged[0].points.map((p) => [p.t, p.avg])).toEqual([
      [0, 1],
      [90, 20],
      [110, 21],
      [190, 22],
      [300, 4],
      [400, 5],
    ]);
    expect(mergeSeries(base, null, fine, {})[0].points).toBe(base[0].points);
  });

  it('draws a firing alert’s low and high thresholds on this device’s charts only', () => {
    const alert = (deviceId: string, threshold: number | null, thresholdHigh: number | null) =>
      ({
        deviceId,
        metric: 'temperature',
        ruleName: 'Too hot',
        severity: 'critical',
        threshold,
        thresholdHigh,
      }) as AlertItem;

    expect(
      alertThresholds([alert('gh-1', 10, 30), alert('gh-2', 5, null), alert('gh-1', null, 40)], 'gh-1'),
    ).toEqual([
      { metric: 'temperature', value: 10, label: 'Too hot (critical)' },
      { metric: 'temperature', value: 30, label: 'Too hot (critical)' },
      { metric: 'temperature', value: 40, label: 'Too hot (critical)' },
    ]);
  });

  it('makes one panel per metric with unit, resolution and latest value, or one overlay of all', () => {
    const input = {
      series: [series('temperature', [pt(0, 20), pt(60_000, 21.26)]), series('humidity', [], null)],
      fine: null,
      catalog,
      from: 0,
      to: 120_000,
    };

    const split = buildChartPanels({ ...input, layout: 'split' });
    expect(split.map((p) => [p.key, p.title, p.note, p.empty])).toEqual([
      ['temperature', 'Temperature (°C)', 'averages per 1 min, band = min–max · latest 21.3 °C', false],
      ['humidity', 'humidity', 'raw readings', true],
    ]);

    const overlay = buildChartPanels({ ...input, layout: 'overlay' });
    expect(overlay.map((p) => [p.key, p.title, p.empty])).toEqual([
      ['overlay', 'Temperature · humidity', false],
    ]);
  });

  it('says bucket widths in the largest fitting unit', () => {
    expect([30_000, 300_000, 5_400_000, 172_800_000].map(duration)).toEqual([
      '30 s',
      '5 min',
      '1.5 h',
      '2 d',
    ]);
  });

  it('puts at most two units in one overlay, and gives each metric its own colour on every panel', () => {
    const units: Record<string, string> = { t1: '°C', t2: '°C', h: '%', p: 'hPa', rssi: 'dBm' };
    const cat = {
      info: (m: string): MetricInfo => ({ name: m, unit: units[m] }),
      label: (m: string) => m,
      labelWithUnit: (m: string) => `${m} (${units[m]})`,
    };
    const all = ['t1', 'h', 't2', 'p', 'rssi'].map((m) => series(m, [pt(0, 1)]));
    const palette = ['c0', 'c1', 'c2', 'c3', 'c4'];
    const base = {
      fine: null,
      catalog: cat,
      from: 0,
      to: 1,
      metrics: ['h', 'p', 'rssi', 't1', 't2'],
      palette,
    };

    const overlay = buildChartPanels({ ...base, series: all, layout: 'overlay' });
    expect(overlay.map((p) => [p.key, p.input.series.map((s) => s.metric)])).toEqual([
      ['overlay', ['t1', 'h', 't2']],
      ['overlay-2', ['p', 'rssi']],
    ]);
    const split = buildChartPanels({ ...base, series: all, layout: 'split' });
    expect(split.map((p) => [p.key, p.input.series[0].color])).toEqual([
      ['t1', 'c3'],
      ['h', 'c0'],
      ['t2', 'c4'],
      ['p', 'c1'],
      ['rssi', 'c2'],
    ]);
  });

  it('calls the last value of a past range the last in range, not the latest', () => {
    const past = buildChartPanels({
      series: [series('temperature', [pt(0, 20), pt(60_000, 21.26)])],
      fine: null,
      catalog,
      from: 0,
      to: 120_000,
      layout: 'split',
      live: false,
    });
    expect(past[0].note).toContain('last in range 21.3 °C');
  });

  it('names the CSV file after the device and the local times of the range', () => {
    const t = Date.UTC(2026, 10, 29, 1, 30);
    expect(csvFileName('gh-1', t, t + 3_600_000, 'Europe/Berlin')).toBe(
      'gh-1_2026-11-29T0230_2026-11-29T0330.csv',
    );
  });
});
