import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, Matches, validateSync } from 'class-validator';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The connection settings every app has: PostgreSQL and the MQTT broker. */
export class ConnectionConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  @Matches(/^(mqtts?|wss?|tcp|tls):\/\//, { message: 'MQTT_URL must be an mqtt:// or mqtts:// URL' })
  MQTT_URL: string;

  @IsOptional() @IsString() MQTT_USERNAME?: string;
  @IsOptional() @IsString() MQTT_PASSWORD?: string;

  /** the metric catalog (units, physical bounds), relative to the working directory; `off` for none */
  @IsString() METRICS_CATALOG = DEFAULT_METRICS_CATALOG;
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

/** class-transformer: "42" → 42; anything else is left for the validator to reject. */
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** class-transformer: true/false/1/0/yes/no → boolean; anything else is left for the validator to reject. */
export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.toLowerCase();
  return ['true', '1', 'yes'].includes(v) ? true : ['false', '0', 'no'].includes(v) ? false : value;
};

/**
 * Builds one app's configuration class from `env` (keys it declares with a default, plus `optionalKeys` that have
 * none), with its defaults, and validates it; throws a ConfigError naming every bad key.
 */
export function validateEnv<T extends object>(
  cls: new () => T,
  env: Record<string, unknown>,
  optionalKeys: readonly string[] = [],
): T {
  const keys = new Set([...Object.keys(new cls()), ...optionalKeys]);
  const known = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => keys.has(k) && v !== undefined && v !== ''),
  );
  const config = plainToInstance(cls, known, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
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
