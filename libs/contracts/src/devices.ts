/**
 * A device without a Last Will presence counts as offline once it has said nothing for this long. The api reads it
 * from DEVICE_OFFLINE_AFTER_SECONDS and reports the value in use with every devices page (`offlineAfterSeconds`).
 */
export const DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT = 300;

export const DEVICE_STATUSES = ['online', 'offline'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** What the firmware understands (firmware/lib/sensorhub_core/src/sh_command.h). */
export const COMMANDS = ['reboot', 'ping', 'interval'] as const;
export type Command = (typeof COMMANDS)[number];
