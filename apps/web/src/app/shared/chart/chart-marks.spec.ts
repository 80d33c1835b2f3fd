import { SeriesPoint } from '../../core/api.types';
import { AlertItem } from '../../core/api.types';
import { chooseColorScheme } from '../../core/theme';
import { alertSpans, metricMarks, spansOf } from './chart-marks';

const p = (t: number, v: number): SeriesPoint => ({ t, avg: v, min: v, max: v, count: 1 });

describe('metricMarks', () => {
  const points = [p(1000, 20), p(2000, 45), p(3000, 30)];

  it("colours thresholds and alert pins from the tokens, in the current scheme's half", () => {
    const root = document.documentElement;
    root.style.setProperty('--mark-threshold', 'light-dark(#aa0000, #ff9999)');
    root.style.setProperty('--mark-critical', 'light-dark(#bb0000, #ffbbbb)');
    const colours = () => {
      const m = metricMarks(
        'temp',
        points,
        4000,
        [{ metric: 'temp', value: 40, label: 'threshold 40' }],
        [{ metric: 'temp', from: 2000, to: null, label: 'hot', severity: 'critical' }],
      ) as {
        markLine: { data: { lineStyle: { color: string } }[] };
        markPoint: { data: { itemStyle: { color: string } }[] };
      };
      return [m.markLine.data[0].lineStyle.color, m.markPoint.data[0].itemStyle.color];
    };
    try {
      chooseColorScheme('light');
      expect(colours()).toEqual(['#aa0000', '#bb0000']);
      chooseColorScheme('dark');
      expect(colours()).toEqual(['#ff9999', '#ffbbbb']);
    } finally {
      chooseColorScheme('light');
      localStorage.clear();
      delete root.dataset['theme'];
      root.style.removeProperty('--mark-threshold');
      root.style.removeProperty('--mark-critical');
    }
  });

  it('draws nothing for a metric without thresholds or alerts', () => {
    expect(metricMarks('temp', points, 4000, [{ metric: 'hum', value: 1, label: 'x' }], [])).toEqual({});
  });

  it('draws the threshold dashed and the clear threshold dotted, at their values', () => {
    const m = metricMarks('temp', points, 4000, [
      { metric: 'temp', value: 40, label: 'threshold 40' },
      { metric: 'temp', value: 35, label: 'clear 35', clear: true },
    ]) as { markLine: { data: { yAxis: number; name: string; lineStyle: { type: string } }[] } };
    expect(m.markLine.data.map((d) => [d.name, d.yAxis, d.lineStyle.type])).toEqual([
      ['threshold 40', 40, 'dashed'],
      ['clear 35', 35, 'dotted'],
    ]);
  });

  it('shades a resolved alert from firing to resolve and a firing one to the end of the axis, pinned at each end', () => {
    const m = metricMarks(
      'temp',
      points,
      4000,
      [],
      [
        { metric: 'temp', from: 2000, to: 3000, label: 'hot', severity: 'critical', fromValue: 45 },
        { metric: 'temp', from: 3500, to: null, label: 'hot', severity: 'warning' },
      ],
    ) as {
      markArea: { data: [{ xAxis: number }, { xAxis: number }][] };
      markPoint: { data: { name: string; coord: [number, number] }[] };
    };
    expect(m.markArea.data.map(([a, b]) => [a.xAxis, b.xAxis])).toEqual([
      [2000, 3000],
      [3500, 4000],
    ]);
    // a pin without a known value sits on the nearest drawn point
    expect(m.markPoint.data.map((d) => [d.name, d.coord])).toEqual([
      ['fired: hot', [2000, 45]],
      ['resolved: hot', [3000, 30]],
      ['fired: hot', [3500, 30]],
    ]);
  });
});

describe('spansOf', () => {
  it('pairs each firing with the next resolve and leaves the last firing open', () => {
    const spans = spansOf(
      [
        { kind: 'firing', at: 1, value: 41 },
        { kind: 'resolved', at: 2, value: 30 },
        { kind: 'resolved', at: 3, value: 29 },
        { kind: 'firing', at: 4, value: 42 },
      ],
      { metric: 'temp', label: 'hot', severity: 'info' },
    );
    expect(spans.map((s) => [s.from, s.to, s.fromValue, s.toValue])).toEqual([
      [1, 2, 41, 30],
      [4, null, 42, undefined],
    ]);
  });
});

describe('alertSpans', () => {
  const alert = (id: string, firedAt: number | null, resolvedAt: number | null): AlertItem => ({
    id,
    ruleId: 'r',
    ruleName: 'Hot',
    deviceId: 'd',
    deviceName: null,
    metric: 'temp',
    severity: 'critical',
    state: resolvedAt ? 'resolved' : firedAt ? 'firing' : 'pending',
    value: 41,
    threshold: 40,
    thresholdHigh: null,
    startedAt: firedAt ?? 0,
    firedAt,
    resolvedAt,
    acknowledgedByEmail: null,
    acknowledgedAt: null,
    ackNote: null,
  });

  it('keeps the alerts firing at some time in the range, open ones open, and leaves pending ones out', () => {
    const spans = alertSpans(
      [
        alert('before', 10, 20),
        alert('across', 50, 150),
        alert('open', 120, null),
        alert('pending', null, null),
      ],
      100,
      200,
    );
    expect(spans.map((s) => [s.from, s.to, s.label])).toEqual([
      [50, 150, 'Hot (critical)'],
      [120, null, 'Hot (critical)'],
    ]);
  });
});
