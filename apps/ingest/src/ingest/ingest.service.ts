import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

import {
  DEAD_LETTER_PAYLOAD_LIMIT,
  DEAD_LETTER_REASONS,
  parseMessage,
  ParseOptions,
  ReadingRow,
} from '@sensorhub/domain';

import { CatalogService } from '../catalog/catalog.service';
import { Acks } from '../transport/puback-gate';
import { INGEST_CONFIG } from '../config/config.tokens';
import { IngestConfig } from '../config/ingest.config';
import { BatchWriter } from './batch-writer.service';

/** How received messages are told apart from broker replays. */
export interface Delivery {
  /** the broker sent it because we subscribed (a retained message), not because it was just published */
  retained?: boolean;
  /** the message's acknowledgement ticket, settled with its batch through `acks` */
  ticket?: number;
  acks?: Acks;
}

@Injectable()
export class IngestService implements OnApplicationShutdown {
  private readonly logger = new Logger(IngestService.name);
  /** one object for every message: `now` and `catalog` are set before each (synchronous) parse */
  private readonly parseOptions: ParseOptions;
  private readonly stamps = new ReceiptStamps();
  /** retained readings skipped (already ingested when they were published) */
  skippedRetained = 0;
  /** the current millisecond and its Date: shared by the messages received in it (see receivedNow) */
  private clockMs = -1;
  private clock = new Date(0);

  constructor(
    private readonly writer: BatchWriter,
    private readonly catalog: CatalogService,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    this.parseOptions = {
      maxAgeMs: config.INGEST_TS_MAX_AGE_DAYS * 86_400_000,
      maxSkewMs: config.INGEST_TS_MAX_SKEW_SECONDS * 1000,
      maxPayloadBytes: config.INGEST_MAX_PAYLOAD_BYTES,
      maxMeasurements: config.INGEST_MAX_MEASUREMENTS,
      requireKnownMetrics: config.INGEST_REQUIRE_KNOWN_METRICS,
    };
  }

  onApplicationShutdown(): void {
    if (this.skippedRetained)
      this.logger.log(
        `skipped ${this.skippedRetained} retained messages (ingested when they were published)`,
      );
  }

  /** Validates one message and resolves once it is committed, as readings or as a dead letter. */
  accept(topic: string, payload: Buffer, delivery: Delivery = {}): Promise<void> {
    const receivedAt = this.receivedNow();
    try {
      const opts = this.parseOptions;
      opts.now = receivedAt;
      opts.catalog = this.catalog.current;
      const parsed = parseMessage(topic, payload, opts);
      // a retained message arrives again on every (re)subscription; it was ingested when it was published. Presence
      // is state, not a reading: the retained online/offline is the device's current one.
      if (delivery.retained && !(parsed.ok && parsed.kind === 'status')) {
        this.skippedRetained++;
        return settled(delivery);
      }
      if (!parsed.ok) return this.dead(topic, payload, receivedAt, parsed.reason, parsed.detail, delivery);
      if (parsed.kind === 'command') return settled(delivery);
      const { deviceId, readings, device } = parsed;
      if (parsed.stamped) this.stamps.assign(readings);
      return this.writer.add(
        { kind: 'data', topic, payload, receivedAt, deviceId, readings, device },
        delivery.ticket,
        delivery.acks,
      );
    } catch (err) {
      // a bug must cost one message, stored where it can be seen, not the whole stream
      return this.dead(
        topic,
        payload,
        receivedAt,
        DEAD_LETTER_REASONS.handlerError,
        `handling failed: ${(err as Error)?.message ?? String(err)}`,
        delivery,
      );
    }
  }

  /**
   * The time of receipt, one Date per millisecond: at full rate dozens of messages arrive in one and each holds its
   * time until its batch commits. Nothing changes a Date it is given (stamps that move get a new one).
   */
  private receivedNow(): Date {
    const ms = Date.now();
    if (ms !== this.clockMs) {
      this.clockMs = ms;
      this.clock = new Date(ms);
    }
    return this.clock;
  }

  private dead(
    topic: string,
    payload: Buffer,
    receivedAt: Date,
    reason: (typeof DEAD_LETTER_REASONS)[keyof typeof DEAD_LETTER_REASONS],
    detail: string,
    delivery: Delivery,
  ): Promise<void> {
    // keep only what is stored: a large payload held until the commit would cost its full size meanwhile
    if (payload.length > DEAD_LETTER_PAYLOAD_LIMIT) {
      const cut = Buffer.from(payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT));
      return this.writer.add(
        { kind: 'dead', topic, payload: cut, payloadSize: payload.length, receivedAt, reason, detail },
        delivery.ticket,
        delivery.acks,
      );
    }
    return this.writer.add(
      { kind: 'dead', topic, payload, receivedAt, reason, detail },
      delivery.ticket,
      delivery.acks,
    );
  }
}

/** A message that is not stored (a retained replay, a command) is done at once. */
function settled(delivery: Delivery): Promise<void> {
  if (delivery.ticket !== undefined) delivery.acks?.settle([delivery.ticket], true);
  return Promise.resolve();
}

/**
 * Readings without ts are stamped with their time of receipt. Two of one device and metric received in the same
 * millisecond would share a key and one would vanish as a "redelivery": each gets the next free microsecond instead,
 * so receipt order is kept and every message is a row.
 */
export class ReceiptStamps {
  /** `device\0metric` → last microsecond given out */
  private readonly last = new Map<string, number>();

  assign(readings: ReadingRow[]): void {
    for (const r of readings) {
      const key = `${r.deviceId}\u0000${r.metric}`;
      const received = r.ts.getTime() * 1000;
      const prev = this.last.get(key);
      const micros = prev !== undefined && prev >= received ? prev + 1 : received;
      this.last.set(key, micros);
      if (micros !== received) {
        r.ts = new Date(Math.floor(micros / 1000));
        r.us = micros % 1000;
      }
    }
    if (this.last.size > 50_000) this.prune(readings[0]?.ts.getTime() ?? Date.now());
  }

  /** entries older than the current millisecond can never collide again */
  private prune(nowMs: number): void {
    for (const [key, micros] of this.last) if (micros < (nowMs - 1) * 1000) this.last.delete(key);
  }
}
