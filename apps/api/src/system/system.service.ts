import { readFile } from 'node:fs/promises';

import { Inject, Injectable } from '@nestjs/common';
import { parse } from 'dotenv';

import { CatalogError } from '@sensorhub/domain';

import { CatalogService } from '../catalog/catalog.service';
import { badRequest, notFound } from '../common/errors';
import { API_CONFIG, PINNED_ENV_KEYS } from '../config/config.tokens';
import { ApiConfig, CONFIG_KEYS, ConfigError, RUNTIME_KEYS, validateApiConfig } from '../config/api.config';
import { RuntimeSettingsService } from '../config/runtime-settings.service';
import { MetricCatalogSummary, RereadEnvDto } from './dto/system.dto';

@Injectable()
export class SystemService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PINNED_ENV_KEYS) private readonly pinned: string[],
    private readonly settings: RuntimeSettingsService,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * Re-reads ENV_FILE, validates the whole configuration it would give, applies the runtime keys (log level, rate
   * limits, offline threshold) and reports the rest as needing a restart. Keys set in the real environment win, as
   * at start-up.
   */
  async rereadEnv(): Promise<RereadEnvDto> {
    let text: string;
    try {
      text = await readFile(this.config.ENV_FILE, 'utf8');
    } catch {
      throw notFound(`configuration file ${this.config.ENV_FILE}`);
    }
    const fromFile = Object.fromEntries(Object.entries(parse(text)).filter(([k]) => CONFIG_KEYS.has(k)));
    const ignored = Object.keys(fromFile).filter((k) => this.pinned.includes(k));
    for (const k of ignored) delete fromFile[k];
    const current = { ...this.config, ...this.settings.get() } as unknown as Record<string, unknown>;
    let next: ApiConfig;
    try {
      next = validateApiConfig({ ...current, ...fromFile });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw badRequest(
        `${this.config.ENV_FILE}: ${e.message}`,
        e.keys.map((field) => ({ field, errors: ['invalid'] })),
      );
    }
    const runtime = new Set<string>(RUNTIME_KEYS);
    const requiresRestart = Object.keys(fromFile).filter(
      (k) =>
        !runtime.has(k) && String(next[k as keyof ApiConfig]) !== String(this.config[k as keyof ApiConfig]),
    );
    // the catalog first: a bad catalog answers 400 naming its line and changes nothing
    let catalog: MetricCatalogSummary;
    try {
      const c = this.catalog.reload();
      catalog = { file: c.source, metrics: c.size };
    } catch (e) {
      if (!(e instanceof CatalogError)) throw e;
      throw badRequest(e.message, [{ field: 'METRICS_CATALOG', errors: [e.message] }]);
    }
    return {
      file: this.config.ENV_FILE,
      changed: this.settings.apply(next),
      requiresRestart,
      ignored,
      catalog,
    };
  }
}
