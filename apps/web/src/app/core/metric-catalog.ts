import { Injectable, inject, signal } from '@angular/core';

import { ReadingsClient } from './readings-client';
import { MetricInfo } from './api.types';

const RETRY_MS = 60_000;

/**
 * Display names, units and decimals of metrics from GET /metrics/catalog, fetched once and shared. Until it answers
 * — or when the API has no catalog (404) — a metric shows as its name, without unit.
 */
@Injectable({ providedIn: 'root' })
export class MetricCatalog {
  private readonly api = inject(ReadingsClient);
  private readonly byName = signal<ReadonlyMap<string, MetricInfo>>(new Map());
  private loading: Promise<void> | null = null;
  private failedAt = -Infinity;

  /** Fetches the catalog unless it was fetched already (a failure other than 404 is retried a minute later). */
  load(): Promise<void> {
    if (this.loading) return this.loading;
    if (Date.now() - this.failedAt < RETRY_MS) return Promise.resolve();
    this.loading = this.api.metricCatalog().then(
      (list) => this.byName.set(new Map(list.map((m) => [m.name, m]))),
      (e: { statusCode?: number }) => {
        this.loading = e?.statusCode === 404 ? Promise.resolve() : null;
        this.failedAt = Date.now();
      },
    );
    return this.loading;
  }

  /** The catalog entry, or just the name (reads a signal: templates and computeds update when the catalog arrives). */
  info(metric: string): MetricInfo {
    return this.byName().get(metric) ?? { name: metric };
  }

  label(metric: string): string {
    return this.info(metric).displayName ?? metric;
  }

  unit(metric: string): string | undefined {
    return this.info(metric).unit;
  }

  /** every metric the catalog knows, by name */
  names(): string[] {
    return [...this.byName().keys()].sort();
  }

  /** `label (unit)`, or the label alone. */
  labelWithUnit(metric: string): string {
    const unit = this.unit(metric);
    return unit ? `${this.label(metric)} (${unit})` : this.label(metric);
  }
}
