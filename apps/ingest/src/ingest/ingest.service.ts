import { Inject, Injectable } from '@nestjs/common';

import { parseMessage, ParseOptions } from '@sensorhub/domain';

import { INGEST_CONFIG } from '../config/config.tokens';
import { IngestConfig } from '../config/ingest.config';
import { BatchWriter } from './batch-writer.service';

@Injectable()
export class IngestService {
  private readonly parseOptions: Omit<ParseOptions, 'now'>;

  constructor(
    private readonly writer: BatchWriter,
    @Inject(INGEST_CONFIG) config: IngestConfig,
  ) {
    this.parseOptions = {
      maxAgeMs: config.INGEST_TS_MAX_AGE_DAYS * 86_400_000,
      maxSkewMs: config.INGEST_TS_MAX_SKEW_SECONDS * 1000,
      maxPayloadBytes: config.INGEST_MAX_PAYLOAD_BYTES,
    };
  }

  /** Validates one message and resolves once it is committed, as readings or as a dead letter. */
  accept(topic: string, payload: Buffer): Promise<void> {
    const receivedAt = new Date();
    const parsed = parseMessage(topic, payload, { ...this.parseOptions, now: receivedAt });
    if (!parsed.ok) {
      return this.writer.add({
        kind: 'dead',
        topic,
        payload,
        receivedAt,
        reason: parsed.reason,
        detail: parsed.detail,
      });
    }
    if (parsed.kind === 'command') return Promise.resolve();
    const { deviceId, readings, device } = parsed;
    return this.writer.add({ kind: 'data', topic, payload, receivedAt, deviceId, readings, device });
  }
}
