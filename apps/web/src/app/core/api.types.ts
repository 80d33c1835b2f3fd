import {
  AlertCondition,
  AlertResponse,
  AlertScope,
  AlertSeverity,
  AlertState,
  DeviceSort,
  Role,
} from '@sensorhub/contracts';

/**
 * The app's view of the API's data (times as epoch ms). The wire shapes are @sensorhub/contracts; the core/*-client.ts
 * maps them onto these types, and pages only see these and the contract's shared names re-exported here.
 */
export { hasRole, ROLE_RANK } from '@sensorhub/contracts';
export type {
  DeviceSort,
  AlertSeverity,
  AlertState,
  LiveAlert,
  LiveDevice,
  LiveReading,
  MetricInfo,
  Role,
} from '@sensorhub/contracts';

export interface User {
  id: string;
  email: string;
  role: Role;
  disabled?: boolean;
  createdAt?: string;
}

export interface LoginResult {
  accessToken: string;
  /** seconds */
  expiresIn: number;
  user: User;
}

export interface MetricValue {
  metric: string;
  value: number;
  /** epoch ms */
  ts: number;
}

export interface DeviceSummary {
  id: string;
  name: string | null;
  location: string | null;
  /** epoch ms, or null if never seen */
  lastSeen: number | null;
  online: boolean | null;
  status: string | null;
  battery: number | null;
  metrics: MetricValue[];
  metadata?: Record<string, unknown>;
}

/** One page of the devices list, with the counts the overview's header shows. */
export interface DevicePage {
  items: DeviceSummary[];
  /** devices matching the search and status filter */
  total: number;
  offset: number;
  limit: number;
  /** every device the user may see, and how many of them are online */
  fleetTotal: number;
  fleetOnline: number;
  /** the api's DEVICE_OFFLINE_AFTER_SECONDS, in ms */
  offlineAfterMs: number;
}

export interface DevicePageQuery {
  limit: number;
  offset: number;
  q?: string;
  status?: 'online' | 'offline';
  sort?: DeviceSort;
}

/** What the API published for a device command. */
export interface CommandSent {
  topic: string;
  /** the JSON sent to the device */
  payload: string;
}

/** One point of a series: raw (min = max = avg) or a downsampled bucket. */
export interface SeriesPoint {
  /** epoch ms (bucket start for buckets) */
  t: number;
  avg: number;
  min: number;
  max: number;
  count: number;
}

export interface Series {
  metric: string;
  /** true when points are buckets of several readings */
  downsampled: boolean;
  /** bucket width in ms when downsampled */
  bucketMs: number | null;
  points: SeriesPoint[];
}

/** The recent trend of one metric of one device: bucket means, ascending. */
export interface Sparkline {
  deviceId: string;
  metric: string;
  points: { t: number; avg: number }[];
}

export interface ReadingsQuery {
  metric: string;
  from: number;
  to: number;
  maxPoints: number;
  tz?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** the devices (ids or `*` patterns) the key is bound to; null: every device */
  devices: string[] | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  /** the full key: shown once */
  key: string;
}

export interface ApiError {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/** A message ingest could not store, as GET /dead-letters shows it. */
export interface DeadLetter {
  id: string;
  topic: string;
  /** the {id} of devices/{id}/…, else null */
  deviceId: string | null;
  reason: string;
  detail: string;
  /** epoch ms */
  receivedAt: number;
  /** text when payloadEncoding is utf8, else base64 */
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
  payloadSize: number;
  truncated: boolean;
  replayedAt: number | null;
  replayCount: number;
}

export interface DeadLetterFilter {
  reason?: string;
  device?: string;
  /** epoch ms */
  from?: number;
  to?: number;
}

export interface DeadLetterPage {
  items: DeadLetter[];
  total: number;
  limit: number;
  offset: number;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

/** What POST /dead-letters/{id}/replay published. */
export interface Replayed {
  topic: string;
  payloadSize: number;
  replayCount: number;
}

/** An alert as GET /alerts lists it, times as epoch ms. */
export interface AlertItem extends Omit<
  AlertResponse,
  'startedAt' | 'firedAt' | 'resolvedAt' | 'acknowledgedAt' | 'acknowledgedBy'
> {
  startedAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
}

export interface AlertPage {
  items: AlertItem[];
  total: number;
  firing: Record<AlertSeverity, number>;
}

export interface AlertsQuery {
  state?: AlertState;
  severity?: AlertSeverity;
  deviceId?: string;
  limit: number;
  offset: number;
}

export type AlertAction =
  | { type: 'mqtt'; topic?: string; payload?: string }
  | { type: 'webhook'; url: string }
  | { type: 'script'; path: string };

/** A rule as the editor sends it (POST /alert-rules, PATCH, preview). */
export interface AlertRuleDraft {
  name: string;
  scope: AlertScope;
  scopeDeviceId?: string;
  scopeKey?: string;
  scopeValue?: string;
  metric: string;
  condition: AlertCondition;
  threshold?: number;
  thresholdHigh?: number;
  clearThreshold?: number;
  clearThresholdHigh?: number;
  noDataSeconds?: number;
  durationSeconds: number;
  severity: AlertSeverity;
  enabled: boolean;
  actions: AlertAction[];
}

export interface AlertRule extends AlertRuleDraft {
  id: string;
  /** epoch ms */
  updatedAt: number;
}

/** When a draft rule would have fired and resolved over a past range (POST /alert-rules/preview). */
export interface RulePreview {
  from: number;
  to: number;
  readings: number;
  truncated: boolean;
  devices: {
    deviceId: string;
    transitions: { kind: 'firing' | 'resolved'; at: number; value: number | null }[];
  }[];
}
