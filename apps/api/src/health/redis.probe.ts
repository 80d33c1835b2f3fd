import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';

/** Whether the Redis of ingest's stream output answers (REDIS_URL); absent when the stream is not used. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private readonly redis?: Redis;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    if (!config.REDIS_URL) return;
    this.redis = new Redis(config.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', () => undefined); // reported by /health
  }

  get configured(): boolean {
    return this.redis !== undefined;
  }

  async up(): Promise<boolean> {
    try {
      return (await this.redis?.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
