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
 * Redis Streams output (REDIS_URL): every committed reading to REDIS_STREAM, every dead letter to REDIS_DLQ_STREAM,
 * one pipeline per batch, after the commit and before the MQTT acknowledgement. At-least-once: a batch appended and
 * then not acknowledged (crash, Redis failing mid-pipeline) is appended again; consumers dedupe on
 * (device_id, metric, timestamp).
 */
@Injectable()
export class StreamOutput implements OnApplicationShutdown {
  private readonly logger = new Logger(StreamOutput.name);
  private readonly redis?: Redis;
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
    });
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
    const p = this.redis.pipeline();
    for (const r of readings) {
      p.xadd(
        c.REDIS_STREAM,
        'MAXLEN',
        '~',
        c.REDIS_STREAM_MAXLEN,
        '*',
        'device_id',
        r.deviceId,
        'metric',
        r.metric,
        'value',
        String(r.value),
        'timestamp',
        readingTimestamp(r),
      );
    }
    for (const d of dead) {
      p.xadd(
        c.REDIS_DLQ_STREAM,
        'MAXLEN',
        '~',
        c.REDIS_STREAM_MAXLEN,
        '*',
        'topic',
        d.topic,
        'payload',
        d.payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT).toString('base64'),
        'reason',
        d.reason,
        'detail',
        d.detail,
        'received_at',
        d.receivedAt.toISOString(),
      );
    }
    const results = await p.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('redis pipeline was not run');
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
