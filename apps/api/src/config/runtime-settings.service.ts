import { Inject, Injectable } from '@nestjs/common';

import { JsonLogger } from '../common/logging/json-logger';
import { API_CONFIG } from './config.tokens';
import { ApiConfig, RUNTIME_KEYS } from './api.config';

export type RuntimeSettings = Pick<ApiConfig, (typeof RUNTIME_KEYS)[number]>;

/** The settings that may change while running (GET /rereadenv); everything else reads ApiConfig once. */
@Injectable()
export class RuntimeSettingsService {
  private current: RuntimeSettings;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly logger: JsonLogger,
  ) {
    this.current = pick(config);
  }

  get(): Readonly<RuntimeSettings> {
    return this.current;
  }

  /** Applies `next`'s runtime keys; returns those that changed with their old and new values. */
  apply(next: ApiConfig): Record<string, { from: unknown; to: unknown }> {
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of RUNTIME_KEYS) {
      if (this.current[key] !== next[key]) changed[key] = { from: this.current[key], to: next[key] };
    }
    this.current = pick(next);
    this.logger.setLevel(this.current.LOG_LEVEL);
    return changed;
  }
}

function pick(c: ApiConfig): RuntimeSettings {
  return Object.fromEntries(RUNTIME_KEYS.map((k) => [k, c[k]])) as RuntimeSettings;
}
