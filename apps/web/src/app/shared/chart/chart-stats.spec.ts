import { seriesStats } from './chart-stats';

const p = (t: number, min: number, avg: number, max: number, count = 1) => ({ t, min, avg, max, count });

describe('seriesStats', () => {
  it('gives min of the minima, max of the maxima, the count-weighted mean and the last value', () => {
    const s = seriesStats([p(0, -21, -19, -17, 10), p(10, -20, -18, -16, 30), p(20, -22, -20, -19, 10)]);
    expect(s).toEqual({ min: -22, max: -16, avg: (-190 - 540 - 200) / 50, last: -20, lastAt: 20 });
  });

  it('counts only the points inside the shown window, and says null when none is', () => {
    const points = [p(0, 1, 1, 1), p(10, 5, 5, 5), p(20, 9, 9, 9)];
    expect(seriesStats(points, 5, 15)).toEqual({ min: 5, max: 5, avg: 5, last: 5, lastAt: 10 });
    expect(seriesStats(points, 30, 40)).toBeNull();
    expect(seriesStats([])).toBeNull();
  });
});
