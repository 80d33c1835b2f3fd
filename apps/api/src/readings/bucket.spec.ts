import { chooseBucketSeconds, DAY_SECONDS } from './bucket';

const DAY = DAY_SECONDS * 1000;

describe(chooseBucketSeconds.name, () => {
  it('picks one-hour buckets for 30 days at 1000 points (721 buckets)', () => {
    expect(chooseBucketSeconds(30 * DAY, 1000)).toBe(3600);
  });

  it('picks one-second buckets for a short range', () => {
    expect(chooseBucketSeconds(60_000, 1000)).toBe(1);
  });

  it('picks 12-hour buckets for a year at 1000 points, days at 500, and never more buckets than maxPoints', () => {
    expect(chooseBucketSeconds(365 * DAY, 1000)).toBe(DAY_SECONDS / 2);
    expect(chooseBucketSeconds(365 * DAY, 500)).toBe(DAY_SECONDS);
    for (const range of [1e3, 59e3, 3.6e6, 7 * DAY, 30 * DAY, 400 * DAY, 3650 * DAY, 100_000 * DAY]) {
      for (const max of [10, 100, 1000, 10_000]) {
        const w = chooseBucketSeconds(range, max);
        expect(Math.ceil(range / 1000 / w) + 1).toBeLessThanOrEqual(max);
      }
    }
  });

  it('falls back to whole days beyond 30-day buckets', () => {
    const w = chooseBucketSeconds(100_000 * DAY, 100);
    expect(w % DAY_SECONDS).toBe(0);
    expect(w).toBeGreaterThan(30 * DAY_SECONDS);
  });
});
