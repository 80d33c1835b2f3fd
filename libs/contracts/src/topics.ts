/** MQTT topics of the wire contract (DESIGN.md). Build and match topics only through these. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const METRIC_PATTERN = /^[a-z0-9_]{1,64}$/;

export const TOPICS = {
  /** every device topic, for one subscription that also sees malformed topics */
  all: 'devices/#',
  reading: 'devices/+/+',
  telemetry: 'devices/+/telemetry',
  status: 'devices/+/status',
  command: 'devices/+/cmd',
  alerts: 'alerts/+',
} as const;

/** Topic levels under `devices/{id}/` that are not metrics. */
export const RESERVED_LEVELS = { telemetry: 'telemetry', status: 'status', command: 'cmd' } as const;

export const deviceTopic = (deviceId: string, level: string): string => `devices/${deviceId}/${level}`;
export const commandTopic = (deviceId: string): string => deviceTopic(deviceId, RESERVED_LEVELS.command);
export const statusTopic = (deviceId: string): string => deviceTopic(deviceId, RESERVED_LEVELS.status);
export const telemetryTopic = (deviceId: string): string => deviceTopic(deviceId, RESERVED_LEVELS.telemetry);

/** `$share/{group}/{topic}` when a shared-subscription group is set, else the topic. */
export const sharedTopic = (topic: string, group?: string): string =>
  group ? `$share/${group}/${topic}` : topic;
