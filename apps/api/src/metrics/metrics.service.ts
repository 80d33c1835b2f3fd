import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance (tests run several in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly sseClients = new Gauge({
    name: 'sse_clients',
    help: 'connected live-stream clients',
    registers: [this.registry],
  });

  /** set each processor round: age of the oldest reading change it took (0 when there was none) */
  readonly alertEvaluationLag = new Gauge({
    name: 'alert_evaluation_lag_seconds',
    help: 'how long the newest evaluated readings waited for the alert processor',
    registers: [this.registry],
  });
  readonly alertActionFailures = new Counter({
    name: 'alert_action_failures_total',
    help: 'alert actions that ended failed (after their retries, or refused)',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
