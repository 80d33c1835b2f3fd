import { SeriesPoint } from '../../core/api.types';
import { buildChartOption, seriesId } from './chart-option';

type AnySeries = { id: string; type: string; stack?: string; data: [number, number][]; areaStyle?: unknown };
type Opt = {
  series: AnySeries[];
  xAxis: { type: string; min: number; max: number };
  dataZoom: Record<string, number | string>[];
  legend: { show?: boolean; data?: string[] };
};

const raw = (t: number, v: number): SeriesPoint => ({ t, avg: v, min: v, max: v, count: 1 });
const bucket = (t: number, min: number, avg: number, max: number): SeriesPoint => ({
  t,
  min,
  avg,
  max,
  count: 10,
});

describe('buildChartOption', () => {
  const from = Date.UTC(2026, 0, 1);
  const to = from + 3_600_000;

  it('draws raw readings as one line of [t, value] pairs on a time axis spanning the range', () => {
    const opt = buildChartOption({
      series: [
        { metric: 'temperature', downsampled: false, points: [raw(from + 1000, 20.5), raw(from + 2000, 21)] },
      ],
      from,
      to,
    }) as unknown as Opt;
    expect(opt.series).toHaveLength(1);
    expect(opt.series[0].id).toBe('temperature');
    expect(opt.series[0].data).toEqual([
      [from + 1000, 20.5],
      [from + 2000, 21],
    ]);
    expect(opt.xAxis).toMatchObject({ type: 'time', min: from, max: to });
    expect(opt.legend.show).toBe(false);
  });

  it('adds a stacked min–max band under the average line when the points are downsampled', () => {
    const opt = buildChartOption({
      series: [
        {
          metric: 'humidity',
          downsampled: true,
          points: [bucket(from, 40, 42, 45), bucket(from + 60_000, 39, 41, 44)],
        },
      ],
      from,
      to,
    }) as unknown as Opt;
    const byId = new Map(opt.series.map((s) => [s.id, s]));
    expect([...byId.keys()]).toEqual([seriesId('humidity', 'min'), seriesId('humidity', 'band'), 'humidity']);
    expect(byId.get('humidity:min')!.data).toEqual([
      [from, 40],
      [from + 60_000, 39],
    ]);
    // the band is stacked on the min line, so its values are the widths max − min
    expect(byId.get('humidity:band')!.data).toEqual([
      [from, 5],
      [from + 60_000, 5],
    ]);
    expect(byId.get('humidity:band')!.stack).toBe(byId.get('humidity:min')!.stack);
    expect(byId.get('humidity:band')!.areaStyle).toBeTruthy();
    expect(byId.get('humidity')!.data).toEqual([
      [from, 42],
      [from + 60_000, 41],
    ]);
  });

  it('overlays several metrics with a legend and keeps each band in its own stack', () => {
    const opt = buildChartOption({
      series: [
        { metric: 'a', downsampled: true, points: [bucket(from, 1, 2, 3)] },
        { metric: 'b', downsampled: true, points: [bucket(from, 4, 5, 6)] },
      ],
      from,
      to,
    }) as unknown as Opt;
    expect(opt.legend.data).toEqual(['a', 'b']);
    expect(new Set(opt.series.filter((s) => s.stack).map((s) => s.stack))).toEqual(
      new Set(['band:a', 'band:b']),
    );
  });

  it('extends the x axis past the range end to show live points appended after "now"', () => {
    const opt = buildChartOption({
      series: [{ metric: 'x', downsampled: false, points: [raw(to + 5000, 1)] }],
      from,
      to,
    }) as unknown as Opt;
    expect(opt.xAxis.max).toBe(to + 5000);
  });

  it('sets the dataZoom window to the zoomed time span, or to the full range without zoom', () => {
    const zoomed = buildChartOption({
      series: [],
      from,
      to,
      zoom: { start: from + 10, end: from + 20 },
    }) as unknown as Opt;
    expect(zoomed.dataZoom.map((d) => d['type'])).toEqual(['inside', 'slider']);
    for (const dz of zoomed.dataZoom)
      expect(dz).toMatchObject({ startValue: from + 10, endValue: from + 20 });
    const full = buildChartOption({ series: [], from, to, compact: true }) as unknown as Opt;
    expect(full.dataZoom).toEqual([expect.objectContaining({ type: 'inside', start: 0, end: 100 })]);
  });

  it('is pure: the same input builds an equal option', () => {
    const input = { series: [{ metric: 'x', downsampled: false, points: [raw(from, 1)] }], from, to };
    expect(JSON.stringify(buildChartOption(input))).toBe(JSON.stringify(buildChartOption(input)));
  });

  it('names series by the catalog with their unit, puts a shared unit on the y axis and in the tooltip', () => {
    type Fmt = {
      tooltip: { formatter: (p: unknown) => string };
      yAxis: { axisLabel: { formatter: (v: number) => string } };
    };
    const temp = { metric: 'temperature', label: 'Temperature', unit: '°C', decimals: 1, downsampled: false };
    const one = buildChartOption({
      series: [{ ...temp, points: [raw(from, 21.46)] }],
      from,
      to,
    }) as unknown as Opt & Fmt;
    expect(one.series[0]).toMatchObject({ id: 'temperature', name: 'Temperature (°C)' });
    expect(one.yAxis.axisLabel.formatter(20)).toBe(`${(20).toLocaleString()} °C`);
    const tip = one.tooltip.formatter([
      { seriesId: 'temperature', value: [from, 21.46], color: '#000', dataIndex: 0 },
    ]);
    expect(tip).toContain(
      `Temperature: <b>${(21.5).toLocaleString(undefined, { minimumFractionDigits: 1 })} °C</b>`,
    );

    const two = buildChartOption({
      series: [
        { ...temp, points: [raw(from, 21)] },
        { metric: 'humidity', label: 'Humidity', unit: '%', downsampled: false, points: [raw(from, 40)] },
      ],
      from,
      to,
    }) as unknown as Opt & Fmt;
    expect(two.legend.data).toEqual(['Temperature (°C)', 'Humidity (%)']);
    expect(two.yAxis.axisLabel.formatter(20)).toBe((20).toLocaleString());
  });

  it('shows a metric the catalog does not know by its name, without unit', () => {
    const opt = buildChartOption({
      series: [{ metric: 'co2', downsampled: false, points: [raw(from, 400)] }],
      from,
      to,
    }) as unknown as Opt & { tooltip: { formatter: (p: unknown) => string } };
    expect(opt.series[0]).toMatchObject({ name: 'co2' });
    const tip = opt.tooltip.formatter([{ seriesId: 'co2', value: [from, 400], color: '#000', dataIndex: 0 }]);
    expect(tip).toContain(`co2: <b>${(400).toLocaleString()}</b>`);
  });
});
