/**
 * A device without a Last Will presence counts as offline once it has said nothing for this long. The api reads it
 * from DEVICE_OFFLINE_AFTER_SECONDS and reports the value in use with every devices page (`offlineAfterSeconds`).
 */
export const DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT = 300;

/** A battery below this many percent is low: such a device is trouble (listed early, marked on the dashboard). */
export const LOW_BATTERY_PERCENT = 20;

export const DEVICE_STATUSES = ['online', 'offline'] as const;

/**
 * Orders of GET /devices: `trouble` puts problems first (a firing alert, offline, low battery, silent for the offline
 * window although presence says online), then by name; the others ascending, or descending with a leading `-`.
 */
export const DEVICE_SORTS = [
  'name',
  '-name',
  'trouble',
  'lastSeen',
  '-lastSeen',
  'battery',
  '-battery',
] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** What the firmware understands (firmware/lib/sensorhub_core/src/sh_command.h). */
export const COMMANDS = ['reboot', 'ping', 'interval'] as const;
export type Command = (typeof COMMANDS)[number];
