import * as fs from 'node:fs';

import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, validateSync } from 'class-validator';

import { resolveSecrets, SecretError } from './secrets';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** class-transformer: "42" → 42; anything else is left for the validator to reject. */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** class-transformer: true/false/1/0/yes/no → boolean; anything else is left for the validator to reject. */
export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.toLowerCase();
  return ['true', '1', 'yes'].includes(v) ? true : ['false', '0', 'no'].includes(v) ? false : value;
};

/** The connection settings every app has: PostgreSQL and the MQTT broker. */
export class ConnectionConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Matches(/^(mqtts?|wss?|tcp|tls):\/\//, { message: 'MQTT_URL must be an mqtt:// or mqtts:// URL' })
  MQTT_URL: string;

  @IsOptional() @IsString() MQTT_USERNAME?: string;
  @IsOptional() @IsString() MQTT_PASSWORD?: string;

  /** PEM CA that signed the broker's certificate (mqtts://); unset: the system's CAs */
  @IsOptional() @IsReadableFile() MQTT_CA_FILE?: string;
  /** PEM client certificate and key, for a broker that demands one (Mosquitto `require_certificate true`) */
  @IsOptional() @IsReadableFile() MQTT_CERT_FILE?: string;
  @IsOptional() @IsReadableFile() MQTT_KEY_FILE?: string;

  /** also log to this file (relative to the working directory), rotated by size; unset: stdout/stderr only */
  @IsOptional() @IsString() LOG_FILE?: string;

  /** rotate LOG_FILE past this size: a number and B, K, M or G */
  @Matches(/^[1-9]\d*[BKMG]$/i, { message: 'LOG_MAX_SIZE must be a size like 10M (B, K, M or G)' })
  LOG_MAX_SIZE = '10M';

  /** log files kept, the one being written included (server.log, server.log.1, …) */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1000)
  LOG_MAX_FILES = 5;

  /** the metric catalog (units, physical bounds), relative to the working directory; `off` for none */
  @IsString() METRICS_CATALOG = DEFAULT_METRICS_CATALOG;
}

/** Keys of ConnectionConfig that have no default (each app lists them as optional). */
export const CONNECTION_OPTIONAL_KEYS = [
  'DATABASE_URL',
  'MQTT_URL',
  'MQTT_USERNAME',
  'MQTT_PASSWORD',
  'MQTT_CA_FILE',
  'MQTT_CERT_FILE',
  'MQTT_KEY_FILE',
  'LOG_FILE',
] as const;

/** The MQTT.js TLS options of MQTT_CA_FILE, MQTT_CERT_FILE and MQTT_KEY_FILE (each read once, at start-up). */
export function mqttTlsOptions(
  config: Pick<ConnectionConfig, 'MQTT_CA_FILE' | 'MQTT_CERT_FILE' | 'MQTT_KEY_FILE'>,
): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const read = (file?: string) => (file ? fs.readFileSync(file) : undefined);
  return {
    ca: read(config.MQTT_CA_FILE),
    cert: read(config.MQTT_CERT_FILE),
    key: read(config.MQTT_KEY_FILE),
  };
}

/** A file the process can read (a certificate, a key): checked at start-up, so a typo names its key there. */
export function IsReadableFile() {
  return ValidateBy({
    name: 'readableFile',
    validator: {
      validate: (v: unknown) => {
        if (typeof v !== 'string' || !v) return false;
        try {
          fs.accessSync(v, fs.constants.R_OK);
          return fs.statSync(v).isFile();
        } catch {
          return false;
        }
      },
      defaultMessage: (a) => `${a?.property} must name a readable file (${String(a?.value)} is not one)`,
    },
  });
}

export const DEFAULT_METRICS_CATALOG = 'config/metrics.yaml';

/** A bad configuration value; the message names each key that is wrong (never its value: it may be a secret). */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly keys: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Builds one app's configuration class from `env` (keys it declares with a default, plus `optionalKeys` that have
 * none), with its defaults, and validates it; throws a ConfigError naming every bad key. Secrets may come from files
 * (`NAME_FILE`, systemd credentials: see resolveSecrets).
 */
export function validateEnv<T extends object>(
  cls: new () => T,
  env: Record<string, unknown>,
  optionalKeys: readonly string[] = [],
): T {
  const keys = new Set([...Object.keys(new cls()), ...optionalKeys]);
  try {
    env = resolveSecrets(env);
  } catch (err) {
    if (err instanceof SecretError)
      throw new ConfigError(`invalid configuration:\n  ${err.message}`, [err.key]);
    throw err;
  }
  const known = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => keys.has(k) && v !== undefined && v !== ''),
  );
  const config = plainToInstance(cls, known, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  const c = config as Partial<ConnectionConfig>;
  if (!errors.length && !c.MQTT_CERT_FILE !== !c.MQTT_KEY_FILE) {
    const missing = c.MQTT_CERT_FILE ? 'MQTT_KEY_FILE' : 'MQTT_CERT_FILE';
    throw new ConfigError(
      `invalid configuration:\n  ${missing}: MQTT_CERT_FILE and MQTT_KEY_FILE go together (a client certificate and its key)`,
      [missing],
    );
  }
  if (errors.length) {
    const lines = errors.map(
      (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ') || 'invalid'}`,
    );
    throw new ConfigError(
      `invalid configuration:\n  ${lines.join('\n  ')}`,
      errors.map((e) => e.property),
    );
  }
  return config;
}
