import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';

import { LiveNotification } from '@sensorhub/contracts';
import { LIVE_CHANNEL } from '@sensorhub/domain';

import { JsonLogger } from '../common/logging/json-logger';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';

const MAX_BACKOFF_MS = 30_000;

/**
 * LISTENs on the channel ingest NOTIFYs after each committed batch, on a dedicated connection (a pooled one could
 * be handed back mid-LISTEN), and reconnects with backoff. Only committed data is ever announced.
 */
@Injectable()
export class LiveService implements OnModuleInit, OnApplicationShutdown {
  private readonly subject = new Subject<LiveNotification>();
  private client?: Client;
  private stopped = false;
  private backoffMs = 500;
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly logger: JsonLogger,
  ) {}

  get notifications(): Observable<LiveNotification> {
    return this.subject.asObservable();
  }

  /** Waits for the first attempt, so a started app already listens; a failed attempt retries in the background. */
  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    this.client = client;
    client.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL || !n.payload) return;
      try {
        this.subject.next(JSON.parse(n.payload) as LiveNotification);
      } catch {
        this.logger.warn('unparsable live notification', 'LiveService');
      }
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(
        { msg: 'live listener lost its connection; reconnecting', error: err?.message, inMs: this.backoffMs },
        'LiveService',
      );
      this.retry = setTimeout(() => void this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      this.backoffMs = 500;
    } catch (e) {
      lost(e as Error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.subject.complete();
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
