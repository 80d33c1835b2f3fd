import { seriesStats } from '../../../shared/chart/chart-stats';
import { COMPARE_MAX, metricOptions, parseDeviceIds, pickMetric } from './compare';

describe('compare page helpers', () => {
  it('reads distinct valid device ids from the URL, at most COMPARE_MAX', () => {
    expect(parseDeviceIds('a, b,a,,bad id,c')).toEqual(['a', 'b', 'c']);
    expect(parseDeviceIds(undefined)).toEqual([]);
    const many = Array.from({ length: 30 }, (_, i) => `d${i}`).join(',');
    expect(parseDeviceIds(many)).toHaveLength(COMPARE_MAX);
  });

  it('charts the metric asked for, else the first all devices share, else the first any has', () => {
    const lists = [
      ['humidity', 'temperature'],
      ['temperature', 'co2'],
    ];
    expect(metricOptions(lists)).toEqual(['humidity', 'temperature', 'co2']);
    expect(pickMetric(lists, 'co2')).toBe('co2');
    expect(pickMetric(lists, 'pressure')).toBe('temperature');
    expect(pickMetric(lists, 'Bad Metric')).toBe('temperature');
    expect(pickMetric([['a'], ['b']], null)).toBe('a');
    expect(pickMetric([[], []], null)).toBeNull();
  });

  it('sums a series up: min of the minima, max of the maxima, the mean weighted by readings, the last value', () => {
    expect(seriesStats([])).toBeNull();
    const s = seriesStats([
      { t: 1, min: -20, avg: -19, max: -18, count: 3 },
      { t: 2, min: -21, avg: -15, max: -10, count: 1 },
    ]);
    expect(s).toEqual({ min: -21, max: -10, avg: -18, last: -15, lastAt: 2 });
  });
});
