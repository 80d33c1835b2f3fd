import { DeviceSummary } from '../../core/api.types';

/** A device that has not said anything for this long counts as offline when it never reported presence. */
export const STALE_MS = 5 * 60_000;

export function isOnline(d: Pick<DeviceSummary, 'online' | 'lastSeen'>, now: number): boolean {
  if (d.online !== null) return d.online;
  return d.lastSeen !== null && now - d.lastSeen < STALE_MS;
}

export function displayName(d: Pick<DeviceSummary, 'id' | 'name'>): string {
  return d.name?.trim() || d.id;
}
