import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { DEAD_LETTER_PAYLOAD_LIMIT, readingTimestamp, ReadingRow } from '@sensorhub/domain';

import { INGEST_CONFIG } from '../config/config.tokens';
import { IngestConfig } from '../config/ingest.config';

/** A dead letter as the DLQ stream carries it. */
export interface StreamDeadLetter {
  topic: string;
  payload: Buffer;
  reason: string;
  detail: string;
  receivedAt: Date;
}

/**
 * Appends entries of equal shape to one stream in one call: ARGV = field count, MAXLEN, field names, then each
 * entry's values. One command per batch and stream instead of one XADD round of parsing and replies per entry.
 */
const XADD_BATCH = `
local n = tonumber(ARGV[1])
local args = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*'}
for i = 3 + n, #ARGV, n do
  for f = 1, n do
    args[5 + 2 * f] = ARGV[2 + f]
    args[6 + 2 * f] = ARGV[i + f - 1]
  end
  redis.call(unpack(args))
end
return (#ARGV - 2 - n) / n`;

type BatchRedis = Redis & {
  xaddBatch(stream: string, ...args: Array<string | number>): Promise<number>;
};

/**
 * Redis Streams output (REDIS_URL): every committed reading to REDIS_STREAM, every dead letter to REDIS_DLQ_STREAM,
 * one pipeline per batch, after the commit and before the MQTT acknowledgement. At-least-once: a batch appended and
 * then not acknowledged (crash, Redis failing mid-pipeline) is appended again; consumers dedupe on
 * (device_id, metric, timestamp).
 */
@Injectable()
export class StreamOutput implements OnApplicationShutdown {
  private readonly logger = new Logger(StreamOutput.name);
  private readonly redis?: BatchRedis;
  /** consecutive failed appends, for the log and /metrics */
  failures = 0;
  appended = 0;

  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {
    if (!config.REDIS_URL) return;
    this.redis = new Redis(config.REDIS_URL, {
      // fail fast while disconnected: the batch writer holds acknowledgements and retries with backoff
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: false,
    }) as BatchRedis;
    this.redis.defineCommand('xaddBatch', { numberOfKeys: 1, lua: XADD_BATCH });
    this.redis.on('error', () => undefined); // reported by append(), once per failure streak
    this.redis.on('ready', () => this.logger.log(`stream output to ${config.REDIS_STREAM} ready`));
  }

  get enabled(): boolean {
    return this.redis !== undefined;
  }

  /** Appends one batch; throws when Redis did not take all of it. */
  async append(readings: ReadingRow[], dead: StreamDeadLetter[]): Promise<void> {
    if (!this.redis || (!readings.length && !dead.length)) return;
    const c = this.config;
    const calls: Array<Promise<number>> = [];
    if (readings.length) {
      const args: Array<string | number> = [
        4,
        c.REDIS_STREAM_MAXLEN,
        'device_id',
        'metric',
        'value',
        'timestamp',
      ];
      for (const r of readings) args.push(r.deviceId, r.metric, String(r.value), readingTimestamp(r));
      calls.push(this.redis.xaddBatch(c.REDIS_STREAM, ...args));
    }
    if (dead.length) {
      const args: Array<string | number> = [
        5,
        c.REDIS_STREAM_MAXLEN,
        'topic',
        'payload',
        'reason',
        'detail',
        'received_at',
      ];
      for (const d of dead)
        args.push(
          d.topic,
          d.payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT).toString('base64'),
          d.reason,
          d.detail,
          d.receivedAt.toISOString(),
        );
      calls.push(this.redis.xaddBatch(c.REDIS_DLQ_STREAM, ...args));
    }
    await Promise.all(calls);
    this.appended += readings.length + dead.length;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis?.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
