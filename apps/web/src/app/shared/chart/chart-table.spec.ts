import { formatTime } from '../../core/format';
import { buildChartTable } from './chart-table';

const t0 = Date.UTC(2026, 10, 29, 10);
const b = (t: number, min: number, avg: number, max: number) => ({ t, min, avg, max, count: 5 });

describe('buildChartTable', () => {
  it('has a row per time with each series’ value, and min and max for downsampled buckets', () => {
    const table = buildChartTable(
      [
        {
          metric: 'temperature',
          label: 'Temperature',
          unit: '°C',
          decimals: 1,
          downsampled: true,
          points: [b(t0, -20, -19, -18), b(t0 + 60_000, -21, -19.5, -18.5)],
        },
        { metric: 'door', downsampled: false, points: [b(t0 + 60_000, 1, 1, 1)] },
      ],
      { timeZone: 'Europe/Berlin' },
    );
    expect(table.columns).toEqual([
      'Time',
      'Temperature (°C) avg',
      'Temperature (°C) min',
      'Temperature (°C) max',
      'door',
    ]);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['29 Nov 2026, 11:00:00', '-19.0', '-20.0', '-18.0', ''],
      ['29 Nov 2026, 11:01:00', '-19.5', '-21.0', '-18.5', '1'],
    ]);
  });

  it('keeps only the rows of the zoomed window and says thresholds and alerts in words', () => {
    const table = buildChartTable(
      [{ metric: 'x', unit: '%', downsampled: false, points: [b(t0, 1, 1, 1), b(t0 + 10, 2, 2, 2)] }],
      {
        window: { start: t0 + 5, end: t0 + 20 },
        thresholds: [
          { metric: 'x', value: 80, label: 'Wet (warning)' },
          { metric: 'x', value: 70, label: 'Wet (warning)', clear: true },
          { metric: 'other', value: 1, label: 'elsewhere' },
        ],
        alerts: [
          { metric: 'x', from: t0, to: t0 + 60_000, label: 'Wet (warning)', severity: 'warning' },
          { metric: 'x', from: t0 + 120_000, to: null, label: 'Wet (warning)', severity: 'warning' },
        ],
      },
    );
    expect(table.rows.map((r) => r.t)).toEqual([t0 + 10]);
    expect(table.marks).toEqual([
      'Threshold 80 %: Wet (warning)',
      'Clears past 70 %: Wet (warning)',
      `Wet (warning) fired ${formatTime(t0)}, resolved ${formatTime(t0 + 60_000)}`,
      `Wet (warning) fired ${formatTime(t0 + 120_000)}, still firing`,
    ]);
  });
});
