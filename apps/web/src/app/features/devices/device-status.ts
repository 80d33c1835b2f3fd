import { inject } from '@angular/core';

import { DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT, LOW_BATTERY_PERCENT } from '@sensorhub/contracts';

import { DeviceSummary } from '../../core/api.types';
import { Connectivity } from '../../core/connectivity';

/**
 * Without a Last Will presence a device counts as offline after this much silence: the api's
 * DEVICE_OFFLINE_AFTER_SECONDS as the devices page reports it, else the contract's default.
 */
export function isOnline(
  d: Pick<DeviceSummary, 'online' | 'lastSeen'>,
  now: number,
  offlineAfterMs = DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT * 1000,
): boolean {
  if (d.online !== null) return d.online;
  return d.lastSeen !== null && now - d.lastSeen < offlineAfterMs;
}

export function displayName(d: Pick<DeviceSummary, 'id' | 'name'>): string {
  return d.name?.trim() || d.id;
}

/** A value older than the offline window is stale: shown greyed with its age, not as a current reading. */
export function isStaleValue(
  ts: number,
  now: number,
  offlineAfterMs = DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT * 1000,
): boolean {
  return now - ts >= offlineAfterMs;
}

export function isLowBattery(d: Pick<DeviceSummary, 'battery'>): boolean {
  return d.battery !== null && d.battery < LOW_BATTERY_PERCENT;
}

/** Whether what a page shows of a device is live: the api answers (no outage since `lostAt`) and the device is online. */
export function liveData(
  lostAt: number | null,
  d: Pick<DeviceSummary, 'online' | 'lastSeen'> | undefined,
  now = Date.now(),
): boolean {
  return lostAt === null && !!d && isOnline(d, now);
}

/** In an injection context: liveData() of a device resource, against the app's connectivity. */
export function liveDataOf(device: {
  hasValue(): boolean;
  value(): DeviceSummary | undefined;
}): () => boolean {
  const connectivity = inject(Connectivity);
  return () => liveData(connectivity.lostAt(), device.hasValue() ? device.value() : undefined);
}
