import { DEVICE_ID_PATTERN, METRIC_PATTERN } from '@sensorhub/contracts';

/** the most devices one compare chart draws (lines stay tellable apart) */
export const COMPARE_MAX = 16;

/** The URL's `devices=a,b,c` as distinct valid ids, at most COMPARE_MAX. */
export function parseDeviceIds(v: string | null | undefined): string[] {
  const ids = (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => DEVICE_ID_PATTERN.test(s));
  return [...new Set(ids)].slice(0, COMPARE_MAX);
}

/** Every metric of the devices, in the order first met. */
export function metricOptions(metricsByDevice: string[][]): string[] {
  return [...new Set(metricsByDevice.flat())];
}

/**
 * The metric to chart: the one asked for when a device has it, else the first that every device has, else the
 * first any device has; null when they have none.
 */
export function pickMetric(metricsByDevice: string[][], wanted: string | null | undefined): string | null {
  const all = metricOptions(metricsByDevice);
  if (wanted && METRIC_PATTERN.test(wanted) && all.includes(wanted)) return wanted;
  return all.find((m) => metricsByDevice.every((list) => list.includes(m))) ?? all[0] ?? null;
}
