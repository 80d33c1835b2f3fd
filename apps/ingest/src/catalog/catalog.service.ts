import * as fs from 'node:fs';
import * as path from 'node:path';

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

import { CatalogError, loadMetricCatalog, MetricCatalog } from '@sensorhub/domain';

import { INGEST_CONFIG } from '../config/config.tokens';
import { IngestConfig } from '../config/ingest.config';

/**
 * The metric catalog ingest judges readings by. main.ts loads it before start (a bad file stops start-up naming
 * its line); it is read again on SIGHUP and when the file changes. A bad edit keeps the catalog in force and says
 * why, so a typo never lets impossible readings in or stops ingestion.
 */
@Injectable()
export class CatalogService implements OnApplicationShutdown {
  private readonly logger = new Logger(CatalogService.name);
  private file?: string;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(MetricCatalog) public current: MetricCatalog,
  ) {
    if (config.METRICS_CATALOG !== 'off') {
      this.file = path.resolve(config.METRICS_CATALOG);
      // polling survives editors that save by renaming a new file over the old one
      fs.watchFile(this.file, { interval: 1000 }, (now, before) => {
        if (now.mtimeMs !== before.mtimeMs) this.reload('the file changed');
      });
    }
  }

  reload(why: string): boolean {
    try {
      this.current = loadMetricCatalog(this.config.METRICS_CATALOG);
      this.logger.log(
        `metric catalog reloaded (${why}): ${this.current.size} metrics from ${this.current.source}`,
      );
      return true;
    } catch (e) {
      if (!(e instanceof CatalogError)) throw e;
      this.logger.error(
        `metric catalog not reloaded (${why}), the previous one stays in force: ${e.message}`,
      );
      return false;
    }
  }

  onApplicationShutdown(): void {
    if (this.file) fs.unwatchFile(this.file);
  }
}
