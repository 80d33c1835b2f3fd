import { LiveReading } from '@sensorhub/contracts';

import { DeviceSummary } from './api.types';

/** A live reading's time as epoch ms (the stream sends ISO 8601). */
export const liveReadingTime = (r: LiveReading): number => Date.parse(r.ts);

/**
 * The devices with a batch of live readings applied: per metric the newest value wins (an older reading than the one
 * shown is ignored), metrics stay in name order, lastSeen moves forward. Devices the batch does not mention are
 * returned as they are, and the list itself when it mentions none.
 */
export function applyLiveReadings(devices: DeviceSummary[], batch: readonly LiveReading[]): DeviceSummary[] {
  const byDevice = new Map<string, LiveReading[]>();
  for (const r of batch) byDevice.set(r.deviceId, [...(byDevice.get(r.deviceId) ?? []), r]);
  if (!devices.some((d) => byDevice.has(d.id))) return devices;
  return devices.map((d) => {
    const readings = byDevice.get(d.id);
    if (!readings) return d;
    const metrics = [...d.metrics];
    let lastSeen = d.lastSeen ?? 0;
    for (const r of readings) {
      const ts = liveReadingTime(r);
      lastSeen = Math.max(lastSeen, ts);
      const i = metrics.findIndex((m) => m.metric === r.metric);
      if (i < 0) metrics.push({ metric: r.metric, value: r.value, ts });
      else if (ts >= metrics[i].ts) metrics[i] = { metric: r.metric, value: r.value, ts };
    }
    metrics.sort((a, b) => a.metric.localeCompare(b.metric));
    return { ...d, metrics, lastSeen };
  });
}
