import { SeriesPoint } from '../../core/api.types';
import { buildChartOption, seriesId } from './chart-option';

type AnySeries = { id: string; type: string; stack?: string; data: [number, number][]; areaStyle?: unknown };
type Opt = {
  series: AnySeries[];
  xAxis: { type: string; min: number; max: number };
  dataZoom: Record<string, number | string>[];
  legend: { show?: boolean; data?: string[]; type?: string };
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

  it('keeps one y axis while there are no series yet (an axis-less grid makes ECharts throw on drag-to-zoom)', () => {
    const opt = buildChartOption({ series: [], from, to }) as { yAxis: unknown[] };
    expect(opt.yAxis).toHaveLength(1);
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
    // one row that pages, never a second row over the top y-axis label
    expect(opt.legend.type).toBe('scroll');
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
      yAxis: { position: string; axisLabel: { formatter: (v: number) => string } }[];
    };
    const temp = { metric: 'temperature', label: 'Temperature', unit: '°C', decimals: 1, downsampled: false };
    const one = buildChartOption({
      series: [{ ...temp, points: [raw(from, 21.46)] }],
      from,
      to,
    }) as unknown as Opt & Fmt;
    expect(one.series[0]).toMatchObject({ id: 'temperature', name: 'Temperature (°C)' });
    expect(one.yAxis).toHaveLength(1);
    expect(one.yAxis[0].axisLabel.formatter(20)).toBe(`${(20).toLocaleString()} °C`);
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
    // each unit on its own axis: °C on the left, % on the right
    expect(two.yAxis.map((a) => [a.position, a.axisLabel.formatter(20)])).toEqual([
      ['left', `${(20).toLocaleString()} °C`],
      ['right', `${(20).toLocaleString()} %`],
    ]);
    expect(two.series.map((s) => [s.id, (s as { yAxisIndex?: number }).yAxisIndex])).toEqual([
      ['temperature', 0],
      ['humidity', 1],
    ]);
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

  it('draws the band between min and max for negative and sign-crossing values, on an axis fitted to the data', () => {
    // a freezer at −19 °C and an RSSI crossing zero: ECharts stacks only same-sign values unless told otherwise
    const opt = buildChartOption({
      series: [
        {
          metric: 'freezer',
          downsampled: true,
          points: [bucket(from, -20.5, -19, -17.5), bucket(from + 60_000, -21, -19.2, -18)],
        },
        { metric: 'drift', downsampled: true, points: [bucket(from, -3, 0.5, 4)] },
      ],
      from,
      to,
    }) as unknown as Opt & { yAxis: { scale: boolean; min?: number; max?: number }[] };
    const byId = new Map(opt.series.map((s) => [s.id, s as AnySeries & { stackStrategy?: string }]));
    for (const id of ['freezer:min', 'freezer:band', 'drift:min', 'drift:band'])
      expect(byId.get(id)!.stackStrategy).toBe('all');
    // stacked: min + (max − min) is the max of each bucket
    const top = byId
      .get('freezer:min')!
      .data.map(([t, lo], i) => [t, lo + byId.get('freezer:band')!.data[i][1]]);
    expect(top).toEqual([
      [from, -17.5],
      [from + 60_000, -18],
    ]);
    expect(byId.get('drift:min')!.data[0][1] + byId.get('drift:band')!.data[0][1]).toBe(4);
    // not from zero: the axis fits the data unless limits are set
    expect(opt.yAxis[0]).toMatchObject({ scale: true, min: undefined, max: undefined });
  });

  it('takes per-chart y limits and a log scale, and leaves the band out when it is switched off', () => {
    const series = [{ metric: 'x', downsampled: true, points: [bucket(from, 1, 2, 3)] }];
    const opt = buildChartOption({
      series,
      from,
      to,
      y: { min: 0, max: 50, log: true, band: false },
    }) as unknown as Opt & {
      yAxis: { type: string; min?: number; max?: number }[];
    };
    expect(opt.yAxis[0]).toMatchObject({ type: 'log', min: 0, max: 50 });
    expect(opt.series.map((s) => s.id)).toEqual(['x']);
  });

  it('gives twelve series twelve different colours from the palette, and a series its own colour when set', () => {
    const palette = Array.from({ length: 16 }, (_, i) => `#${String(i).padStart(6, '0')}`);
    const series = Array.from({ length: 12 }, (_, i) => ({
      metric: `m${i}`,
      downsampled: false,
      points: [raw(from, i)],
    }));
    const opt = buildChartOption({ series, from, to, palette }) as unknown as Opt;
    const colours = opt.series.map((s) => (s as { color?: string }).color);
    expect(new Set(colours).size).toBe(12);
    const own = buildChartOption({
      series: [{ ...series[0], color: 'red' }],
      from,
      to,
      palette,
    }) as unknown as Opt;
    expect((own.series[0] as { color?: string }).color).toBe('red');
  });

  it('selects a zoom window by dragging (no panning): the zoom select tool is configured', () => {
    const opt = buildChartOption({ series: [], from, to }) as unknown as Opt & {
      toolbox: { feature: { dataZoom: { yAxisIndex: string } } };
    };
    expect(opt.toolbox.feature.dataZoom.yAxisIndex).toBe('none');
    expect(opt.dataZoom[0]).toMatchObject({ type: 'inside', moveOnMouseMove: false });
  });
});
