import {
  ConfigError,
  CONNECTION_OPTIONAL_KEYS,
  ConnectionConfig,
  LOG_LEVELS,
  LogLevel,
  toBool,
  toInt,
  validateEnv,
} from '@sensorhub/domain';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export { ConfigError };

/** Every setting of apps/ingest, read once from the environment and validated (see .env.example). */
export class IngestConfig extends ConnectionConfig {
  /** stable client id: the broker keeps this session's queue while ingest is down */
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'INGEST_CLIENT_ID must be 1-64 of [A-Za-z0-9_-]' })
  INGEST_CLIENT_ID = 'sensorhub-ingest';

  /** replicas with the same group share devices/# ($share/{group}/…; needs an MQTT 5 capable broker like Mosquitto) */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'INGEST_SHARED_GROUP must be 1-64 of [A-Za-z0-9_-]' })
  INGEST_SHARED_GROUP?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50_000)
  INGEST_BATCH_SIZE = 5000;

  /** upper bound on how long a message may wait for its batch to be written */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  INGEST_BATCH_MAX_WAIT_MS = 50;

  /** unacknowledged messages held in memory before ingest stops reading from the broker: two full batches (more
   * held memory, not throughput: 20,000 measured the same rate with 40% more peak RSS) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  INGEST_MAX_UNACKED = 10_000;

  /** bytes of unacknowledged payloads held in memory before reading pauses: the count alone lets large payloads
   * (up to the broker's max_packet_size) take gigabytes during a database outage */
  @Transform(toInt)
  @IsInt()
  @Min(65_536)
  @Max(4 * 1024 * 1024 * 1024)
  INGEST_MAX_UNACKED_BYTES = 32 * 1024 * 1024;

  @Transform(toBool)
  @IsBoolean()
  INGEST_REQUIRE_REGISTERED = false;

  /** true: readings of metrics missing from the metric catalog become UNKNOWN_METRIC dead letters */
  @Transform(toBool)
  @IsBoolean()
  INGEST_REQUIRE_KNOWN_METRICS = false;

  @Transform(toInt)
  @IsInt()
  @Min(16)
  @Max(16 * 1024 * 1024)
  INGEST_MAX_PAYLOAD_BYTES = 65_536;

  /** most measurements in one telemetry packet; more is a dead letter (INVALID_PAYLOAD) */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  INGEST_MAX_MEASUREMENTS = 64;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  INGEST_TS_MAX_AGE_DAYS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  INGEST_TS_MAX_SKEW_SECONDS = 300;

  /** how long SIGTERM waits for the current batch to commit before exiting without acking it */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  INGEST_SHUTDOWN_TIMEOUT_MS = 10_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'log';

  /** Prometheus metrics: GET /metrics on this port (off when unset; the systemd unit uses 9464) */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65_535)
  INGEST_METRICS_PORT?: number;

  /** the address /metrics listens on: 0.0.0.0 in a container, so Prometheus on the network reaches it */
  @IsString()
  INGEST_METRICS_HOST = '127.0.0.1';

  /** Redis Streams output: every committed reading and dead letter (off when unset) */
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Matches(/^[^\s]{1,200}$/, { message: 'REDIS_STREAM must be a stream key without spaces' })
  REDIS_STREAM = 'mqtt:ingestion';

  @Matches(/^[^\s]{1,200}$/, { message: 'REDIS_DLQ_STREAM must be a stream key without spaces' })
  REDIS_DLQ_STREAM = 'telemetry_dlq';

  /** approximate trim (XADD MAXLEN ~) of both streams */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(1_000_000_000)
  REDIS_STREAM_MAXLEN = 1_000_000;
}

const OPTIONAL_KEYS = [
  ...CONNECTION_OPTIONAL_KEYS,
  'INGEST_SHARED_GROUP',
  'INGEST_METRICS_PORT',
  'REDIS_URL',
];

/** Every key ingest reads (docs/configuration.md lists them). */
export const INGEST_CONFIG_KEYS = new Set([...Object.keys(new IngestConfig()), ...OPTIONAL_KEYS]);

/** Validates `env`; a bad value throws a ConfigError naming its key. */
export function validateIngestConfig(env: Record<string, unknown>): IngestConfig {
  return validateEnv(IngestConfig, env, OPTIONAL_KEYS);
}
