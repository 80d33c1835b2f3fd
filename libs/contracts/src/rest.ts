import { AlertEventStatus, AlertSeverity, AlertState, AlertTransition } from './alerts';
import { DeadLetterReason } from './dead-letter-reasons';
import { ApiKeyScope, Role } from './roles';

/**
 * The JSON bodies of the REST API (prefix /api/v1) as a client receives them: times are ISO 8601 strings. The
 * api's Swagger DTOs describe the same shapes; apps/api/test/contracts.spec.ts holds them to these types.
 */
export type IsoDateTime = string;

export const API_PREFIX = '/api/v1';

// --- auth, users, api keys ---------------------------------------------------------------------------------------
export interface UserResponse {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: IsoDateTime;
}

/** POST /auth/login, /auth/refresh, /auth/password */
export interface TokenResponse {
  /** JWT to send as `Authorization: Bearer …` */
  accessToken: string;
  /** seconds until accessToken expires */
  expiresIn: number;
  user: UserResponse;
}

/** POST /live/ticket */
export interface TicketResponse {
  ticket: string;
  /** seconds the ticket stays redeemable */
  expiresIn: number;
}

export interface ApiKeyResponse {
  id: string;
  name: string;
  /** the public start of the key, to recognise it */
  prefix: string;
  scopes: ApiKeyScope[];
  /** device ids or `*` patterns the key is bound to; null: every device */
  devices: string[] | null;
  createdAt: IsoDateTime;
  lastUsedAt: IsoDateTime | null;
  revokedAt: IsoDateTime | null;
}

/** POST /api-keys: the only response that carries the key itself */
export interface CreatedApiKeyResponse extends ApiKeyResponse {
  key: string;
}

// --- devices, readings --------------------------------------------------------------------------------------------
export interface LatestValue {
  value: number;
  ts: IsoDateTime;
}

export interface DeviceResponse {
  id: string;
  name: string | null;
  location: string | null;
  metadata: Record<string, unknown>;
  firstSeen: IsoDateTime;
  lastSeen: IsoDateTime;
  /** the Last Will presence when the device reported one, else seen within offlineAfterSeconds */
  online: boolean;
  status: string | null;
  battery: number | null;
  /** latest reading per metric */
  latest: Record<string, LatestValue>;
}

/** GET /devices */
export interface DevicesPageResponse {
  items: DeviceResponse[];
  /** devices matching q and status */
  total: number;
  limit: number;
  offset: number;
  /** every device the caller may see, whatever the filters, and how many of them are online */
  fleetTotal: number;
  fleetOnline: number;
  /** DEVICE_OFFLINE_AFTER_SECONDS: silence after which a device without presence counts as offline */
  offlineAfterSeconds: number;
}

/** POST /devices/{id}/commands */
export interface CommandSentResponse {
  topic: string;
  /** the JSON sent to the device */
  payload: string;
}

export interface ReadingPoint {
  /** bucket start, or the reading time when raw */
  ts: IsoDateTime;
  min: number;
  avg: number;
  max: number;
  /** readings in the bucket (1 when raw) */
  count: number;
}

/** GET /devices/{id}/readings */
export interface ReadingsResponse {
  deviceId: string;
  metric: string;
  from: IsoDateTime;
  to: IsoDateTime;
  tz: string | null;
  /** bucket width; null when the points are the raw readings */
  bucketSeconds: number | null;
  points: ReadingPoint[];
}

/** GET /series?series=device:metric,…: each series as GET /devices/{id}/readings answers it, in the order asked */
export interface SeriesResponse {
  from: IsoDateTime;
  to: IsoDateTime;
  tz: string | null;
  series: ReadingsResponse[];
}

export interface SparklineSeries {
  deviceId: string;
  metric: string;
  /** bucket means, ascending; empty buckets are left out */
  points: { ts: IsoDateTime; avg: number }[];
}

/** GET /sparklines */
export interface SparklinesResponse {
  window: number;
  points: number;
  bucketSeconds: number;
  series: SparklineSeries[];
}

// --- catalog ------------------------------------------------------------------------------------------------------
export interface MetricInfo {
  name: string;
  displayName?: string;
  unit?: string;
  /** digits after the point when shown */
  decimals?: number;
  /** physical bounds, inclusive */
  min?: number;
  max?: number;
}

/** GET /metrics/catalog */
export interface MetricCatalogResponse {
  metrics: MetricInfo[];
}

// --- dead letters -------------------------------------------------------------------------------------------------
export type PayloadEncoding = 'utf8' | 'base64';

export interface DeadLetterResponse {
  id: string;
  topic: string;
  /** the {id} of a devices/{id}/… topic, else null */
  deviceId: string | null;
  reason: DeadLetterReason;
  detail: string;
  receivedAt: IsoDateTime;
  /** text when payloadEncoding is utf8, else base64 */
  payload: string;
  payloadEncoding: PayloadEncoding;
  payloadSize: number;
  /** the stored payload was cut to 16 KiB (it cannot be replayed) */
  truncated: boolean;
  replayedAt: IsoDateTime | null;
  replayCount: number;
}

/** GET /dead-letters */
export interface DeadLettersPageResponse {
  total: number;
  limit: number;
  offset: number;
  /** newest first */
  items: DeadLetterResponse[];
}

/** GET /dead-letters/summary returns a list of these */
export interface ReasonCountResponse {
  reason: DeadLetterReason;
  count: number;
}

/** POST /dead-letters/{id}/replay */
export interface ReplayedResponse {
  id: string;
  topic: string;
  payloadSize: number;
  replayedAt: IsoDateTime;
  replayCount: number;
}

// --- alerts -------------------------------------------------------------------------------------------------------
export interface AlertResponse {
  id: string;
  ruleId: string;
  ruleName: string;
  deviceId: string;
  /** the device's display name; null when it has none (or no row any more) */
  deviceName: string | null;
  metric: string;
  severity: AlertSeverity;
  state: AlertState;
  value: number | null;
  threshold: number | null;
  thresholdHigh: number | null;
  startedAt: IsoDateTime;
  firedAt: IsoDateTime | null;
  resolvedAt: IsoDateTime | null;
  acknowledgedBy: string | null;
  /** e-mail of who acknowledged */
  acknowledgedByEmail: string | null;
  acknowledgedAt: IsoDateTime | null;
  ackNote: string | null;
}

/** GET /alerts, GET /devices/{id}/alerts */
export interface AlertsPageResponse {
  items: AlertResponse[];
  total: number;
  /** firing alerts by severity, across every filter */
  firing: Record<AlertSeverity, number>;
}

export interface AlertEventResponse {
  id: string;
  transition: AlertTransition;
  /** sse, mqtt, webhook or script */
  action: string;
  status: AlertEventStatus;
  attempts: number;
  outcome: string | null;
  idempotencyKey: string;
  createdAt: IsoDateTime;
  processedAt: IsoDateTime | null;
  nextAttemptAt: IsoDateTime;
}
