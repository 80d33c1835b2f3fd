import { Inject, Injectable } from '@nestjs/common';

import { loadMetricCatalog, MetricCatalog } from '@sensorhub/domain';

import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';

/** The metric catalog (config/metrics.yaml): units and bounds for packets and the dashboard; re-read by rereadenv. */
@Injectable()
export class CatalogService {
  current: MetricCatalog;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {
    this.current = loadMetricCatalog(config.METRICS_CATALOG);
  }

  /** Reads the file again; throws a CatalogError naming the line, leaving the catalog in force. */
  reload(): MetricCatalog {
    this.current = loadMetricCatalog(this.config.METRICS_CATALOG);
    return this.current;
  }
}
