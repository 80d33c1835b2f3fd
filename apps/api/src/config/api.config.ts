import { createSecretKey, KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

import { DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT } from '@sensorhub/contracts';
import {
  ConfigError,
  CONNECTION_OPTIONAL_KEYS,
  ConnectionConfig,
  IsReadableFile,
  LOG_LEVELS,
  LogLevel,
  toBool,
  toInt,
  validateEnv,
} from '@sensorhub/domain';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

export { ConfigError, LOG_LEVELS };
export type { LogLevel };

export const PARTITION_WIDTHS = ['day', 'week', 'month'] as const;
export type PartitionWidth = (typeof PARTITION_WIDTHS)[number];

/** Every setting of apps/api, read once from the environment and validated (see .env.example). */
export class ApiConfig extends ConnectionConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** PEM certificate (chain) and key: the api then serves HTTPS only, with HSTS; SIGHUP re-reads both */
  @IsOptional() @IsReadableFile() TLS_CERT_FILE?: string;
  @IsOptional() @IsReadableFile() TLS_KEY_FILE?: string;

  /** signs access tokens, refresh cookies and live tickets */
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  /** access token lifetime: a number of seconds or 30s / 15m / 2h / 1d */
  @Matches(/^\d+[smhd]?$/, { message: 'JWT_TTL must be seconds or a duration like 15m' })
  JWT_TTL = '15m';

  /**
   * lifetime of the httpOnly refresh cookie: each refresh issues one for another REFRESH_TTL (it slides while a page
   * is open and renewing), so this is how long a session may sit unused
   */
  @Matches(/^\d+[smhd]?$/, { message: 'REFRESH_TTL must be seconds or a duration like 12h' })
  REFRESH_TTL = '12h';

  /** the most a session lasts after its login however often it is refreshed (then the password again); >= REFRESH_TTL */
  @Matches(/^\d+[smhd]?$/, { message: 'REFRESH_MAX_AGE must be seconds or a duration like 30d' })
  REFRESH_MAX_AGE = '30d';

  /** requests per THROTTLE_TTL_MS per client address, on every route (changeable by /rereadenv) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  THROTTLE_LIMIT = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  THROTTLE_TTL_MS = 60_000;

  /** failed logins per address and e-mail within LOGIN_THROTTLE_TTL_MS before login answers 429 (changeable) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_LIMIT = 5;

  /** failed logins per address across all e-mails within LOGIN_THROTTLE_TTL_MS before login answers 429 (spraying) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_ADDRESS_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  LOGIN_THROTTLE_TTL_MS = 900_000;

  /** a refresh cookie replaced this recently is still accepted once more (two tabs refreshing at the same moment) */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  REFRESH_REUSE_GRACE_SECONDS = 10;

  /** how often open live streams re-check their user or API key; a disabled user's or revoked key's stream ends */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(60_000)
  LIVE_RECHECK_MS = 5000;

  /** the most metrics one POST /packets may hold (400 INVALID_PACKET beyond) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  MAX_METRICS_PER_MESSAGE = 64;

  /** the most distinct metrics a device may have; a packet adding metrics beyond it answers 409 */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MAX_METRICS_PER_DEVICE = 256;

  /** the most series one GET /series may ask for (400 VALIDATION_FAILED beyond) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SERIES_MAX = 50;

  /** Strict-Transport-Security max-age in seconds on HTTPS requests (req.secure); 0 sends none */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  HSTS_MAX_AGE = 15_552_000;

  /** a device whose presence is unknown counts as online when seen within this many seconds (changeable) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_OFFLINE_AFTER_SECONDS = DEVICE_OFFLINE_AFTER_SECONDS_DEFAULT;

  /** largest request body in bytes (after decompression); a larger one answers 413 PAYLOAD_TOO_LARGE */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 131_072;

  /** POST /packets waits this long for ingest's commit: 201 when it comes, else 202 Accepted with Location */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  PACKET_COMMIT_WAIT_MS = 2000;
  /** false: this replica neither evaluates alert rules nor performs their actions (it still serves them) */
  @Transform(toBool)
  @IsBoolean()
  PROCESSOR_ENABLED = true;

  /** how often the processor evaluates new readings, time-based conditions and pending actions (also woken by ingest) */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  PROCESSOR_INTERVAL_MS = 1000;

  /** the default topic of an alert rule's MQTT action; {deviceId} {metric} {ruleId} {severity} {state} are filled in */
  @Matches(/^[^#+]{1,200}$/, { message: 'ALERT_MQTT_TOPIC must be a topic without wildcards' })
  ALERT_MQTT_TOPIC = 'alerts/{deviceId}';

  /** signs webhook bodies (X-SensorHub-Signature: sha256=HMAC); webhook actions need it */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ALERT_WEBHOOK_SECRET must be at least 16 characters' })
  ALERT_WEBHOOK_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  ALERT_WEBHOOK_TIMEOUT_MS = 5000;

  /** a failed action is retried after this, doubling each time, until ALERT_MAX_ATTEMPTS, then marked failed */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  ALERT_RETRY_BASE_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  ALERT_MAX_ATTEMPTS = 6;

  /** script actions (admin-only) may run only executables inside this directory; unset: no scripts */
  @IsOptional()
  @IsString()
  ALERT_SCRIPTS_DIR?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  ALERT_SCRIPT_TIMEOUT_MS = 10_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'log';

  /** built Angular SPA served at / when the folder exists */
  @IsOptional() @IsString() WEB_DIST?: string;

  /**
   * Which proxies in front of the api to believe about the client (X-Forwarded-For: the throttler's and login
   * limiter's address) and the scheme (X-Forwarded-Proto: the refresh cookie's Secure flag): a number of hops
   * (1: the one nginx in front), or addresses/subnets (`loopback`, `uniquelocal`, `10.0.0.0/8`, …), comma-separated.
   * Unset: none (the connecting address is the client's).
   */
  @IsOptional()
  @ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && trustProxySetting(v) !== undefined,
      defaultMessage: () =>
        'TRUST_PROXY must be a number of proxy hops (1) or comma-separated addresses/subnets (loopback, 10.0.0.0/8)',
    },
  })
  TRUST_PROXY?: string;

  /** when set, GET /metrics wants `Authorization: Bearer <METRICS_TOKEN>` (Prometheus: `authorization.credentials`) */
  @IsOptional()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** the file /rereadenv reads */
  @IsString()
  ENV_FILE = '.env';

  /** ingest's Redis stream output, when used: /health then reports whether Redis answers */
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** width of the readings partitions created from now on */
  @IsIn(PARTITION_WIDTHS)
  READINGS_PARTITION_WIDTH: PartitionWidth = 'week';

  /** partitions kept ready ahead of now */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  READINGS_PARTITIONS_AHEAD = 2;

  /** raw readings older than this are removed (whole partitions dropped, the edge deleted); 0 keeps them */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_DAYS = 0;

  /** per-metric raw retention overriding RETENTION_DAYS: `co2:30,temperature:730` (0 keeps that metric) */
  @Matches(/^$|^[a-z0-9_]{1,64}:\d+(,[a-z0-9_]{1,64}:\d+)*$/, {
    message:
      'RETENTION_DAYS_BY_METRIC must be metric:days pairs separated by commas, e.g. co2:30,temperature:730',
  })
  RETENTION_DAYS_BY_METRIC = '';

  /** hourly and daily rollups older than this are removed; 0 keeps them; else at least every raw retention */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  ROLLUP_RETENTION_DAYS = 0;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  DEAD_LETTER_RETENTION_DAYS = 30;

  /** how often one api replica (advisory lock) creates partitions ahead and applies retention; 0 never */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAINTENANCE_INTERVAL_SECONDS = 3600;
}

/** RETENTION_DAYS_BY_METRIC as a map. */
export function retentionByMetric(config: Pick<ApiConfig, 'RETENTION_DAYS_BY_METRIC'>): Map<string, number> {
  const map = new Map<string, number>();
  for (const pair of config.RETENTION_DAYS_BY_METRIC.split(',').filter(Boolean)) {
    const [metric, days] = pair.split(':');
    map.set(metric, Number(days));
  }
  return map;
}

/** Keys /rereadenv applies without a restart. */
export const RUNTIME_KEYS = [
  'LOG_LEVEL',
  'THROTTLE_LIMIT',
  'THROTTLE_TTL_MS',
  'LOGIN_THROTTLE_LIMIT',
  'LOGIN_THROTTLE_ADDRESS_LIMIT',
  'LOGIN_THROTTLE_TTL_MS',
  'DEVICE_OFFLINE_AFTER_SECONDS',
] as const satisfies readonly (keyof ApiConfig)[];

/** Never echoed back or logged. */
export const SECRET_KEYS: readonly (keyof ApiConfig)[] = [
  'JWT_SECRET',
  'MQTT_PASSWORD',
  'DATABASE_URL',
  'METRICS_TOKEN',
  'REDIS_URL',
  'ALERT_WEBHOOK_SECRET',
];

const OPTIONAL_KEYS = [
  ...CONNECTION_OPTIONAL_KEYS,
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'JWT_SECRET',
  'WEB_DIST',
  'TRUST_PROXY',
  'METRICS_TOKEN',
  'REDIS_URL',
  'ALERT_WEBHOOK_SECRET',
  'ALERT_SCRIPTS_DIR',
];
export const CONFIG_KEYS = new Set([...Object.keys(new ApiConfig()), ...OPTIONAL_KEYS]);

/** Validates `env`; a bad value throws a ConfigError naming its key. */
export function validateApiConfig(env: Record<string, unknown>): ApiConfig {
  const config = validateEnv(ApiConfig, env, OPTIONAL_KEYS);
  if (!config.TLS_CERT_FILE !== !config.TLS_KEY_FILE) {
    const missing = config.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    throw new ConfigError(
      `invalid configuration:\n  ${missing}: TLS_CERT_FILE and TLS_KEY_FILE go together (HTTPS needs both)`,
      [missing],
    );
  }
  if (durationSeconds(config.REFRESH_MAX_AGE) < durationSeconds(config.REFRESH_TTL)) {
    throw new ConfigError(
      'invalid configuration:\n  REFRESH_MAX_AGE: must be at least REFRESH_TTL (the absolute limit of a session)',
      ['REFRESH_MAX_AGE'],
    );
  }
  // charts read whole hours from the rollups: they must outlive the raw rows they summarise
  const raw = [config.RETENTION_DAYS, ...retentionByMetric(config).values()];
  const rollup = config.ROLLUP_RETENTION_DAYS;
  if (rollup > 0 && raw.some((d) => d === 0 || d > rollup)) {
    throw new ConfigError(
      'invalid configuration:\n  ROLLUP_RETENTION_DAYS: must be 0 (keep) or at least RETENTION_DAYS and every ' +
        'RETENTION_DAYS_BY_METRIC value (the rollups must outlive the raw readings)',
      ['ROLLUP_RETENTION_DAYS'],
    );
  }
  return config;
}

/**
 * The JWT secret as a KeyObject: given a string, jsonwebtoken first tries (and fails) to read it as a PEM public key
 * on every verify, which cost ~0.5 ms of CPU per authenticated request.
 */
export const jwtKey = (config: Pick<ApiConfig, 'JWT_SECRET'>): KeyObject =>
  createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Express's `trust proxy` setting (hops, or addresses/subnets); undefined when invalid. */
export function trustProxySetting(text: string): number | string[] | undefined {
  if (/^\d+$/.test(text)) return Number(text) <= 10 ? Number(text) : undefined;
  const list = text.split(',').map((t) => t.trim());
  const valid = (t: string) => {
    const [addr, bits, extra] = t.split('/');
    if (PROXY_NAMES.has(t)) return true;
    const family = isIP(addr);
    if (!family || extra !== undefined) return false;
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  return list.every(valid) ? list : undefined;
}

/** `15m` → 900; a bare number is seconds. */
export function durationSeconds(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text);
  if (!m) throw new ConfigError(`bad duration "${text}"`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}
