/** Bucket widths in seconds that read well on a chart axis. */
export const NICE_WIDTHS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800,
  604_800, 1_209_600, 2_592_000,
];
export const DAY_SECONDS = 86_400;

/**
 * The narrowest nice width whose buckets over `rangeMs` never exceed `maxPoints`. Aligned bins can cut a partial
 * bucket at each end and local days can be 23 or 25 hours, hence the `+ 1`. Ranges too long for 30-day buckets
 * get a whole number of days.
 */
export function chooseBucketSeconds(rangeMs: number, maxPoints: number): number {
  const rangeS = rangeMs / 1000;
  for (const w of NICE_WIDTHS) if (Math.ceil(rangeS / w) + 1 <= maxPoints) return w;
  return Math.ceil(rangeS / (maxPoints - 1) / DAY_SECONDS + 1e-9) * DAY_SECONDS;
}
