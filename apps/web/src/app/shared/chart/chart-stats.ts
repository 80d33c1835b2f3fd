import { SeriesPoint } from '../../core/api.types';

export interface SeriesStats {
  min: number;
  max: number;
  /** the mean of the readings (buckets weighted by their count) */
  avg: number;
  /** the last value in the window and its time */
  last: number;
  lastAt: number;
}

/** min, max, avg and last of the points inside [from, to]; null when none is. */
export function seriesStats(points: SeriesPoint[], from = -Infinity, to = Infinity): SeriesStats | null {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  let last: SeriesPoint | null = null;
  for (const p of points) {
    if (p.t < from || p.t > to) continue;
    min = Math.min(min, p.min);
    max = Math.max(max, p.max);
    const weight = Math.max(p.count, 1);
    sum += p.avg * weight;
    n += weight;
    if (!last || p.t >= last.t) last = p;
  }
  return last ? { min, max, avg: sum / n, last: last.avg, lastAt: last.t } : null;
}
