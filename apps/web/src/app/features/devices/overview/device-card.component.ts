import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';

import { DeviceSummary } from '../../../core/api.types';
import { Clock, relativeTime } from '../../../core/clock';
import { Connectivity } from '../../../core/connectivity';
import { MetricCatalog } from '../../../core/metric-catalog';
import { formatMeasure } from '../../../shared/chart/chart-option';
import { SparklineComponent } from '../../../shared/sparkline.component';
import { displayName, isLowBattery, isOnline, isStaleValue } from '../device-status';
import { Spark, sparkKey } from './device-sparks';

/** metrics shown on a card; the rest are "+N more" (the device page has them all), so rows stay even */
export const CARD_METRICS = 6;

/** One device of the overview: name, presence, battery, latest values with their age and last hour; without a device, its loading placeholder. */
@Component({
  selector: 'sh-device-card',
  imports: [RouterLink, SparklineComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-card.component.html',
  styleUrl: './device-card.component.css',
})
export class DeviceCardComponent {
  private readonly clock = inject(Clock);
  protected readonly catalog = inject(MetricCatalog);
  private readonly connectivity = inject(Connectivity);

  readonly device = input<DeviceSummary | null>(null);
  /** how many of its alerts are firing */
  readonly alerts = input<number>();
  /** silence after which a device without presence counts as offline (the api's setting) */
  readonly offlineAfterMs = input<number>();
  /** the sparklines of the shown devices, by sparkKey() */
  readonly sparks = input<Record<string, Spark>>({});
  /** one value scale per metric, shared by all cards */
  readonly ranges = input<Record<string, readonly [number, number]>>({});

  protected readonly max = CARD_METRICS;
  protected readonly name = displayName;
  protected readonly lowBattery = isLowBattery;
  /** a value with the catalog's unit and decimals */
  protected measure(metric: string, v: number): string {
    const { unit, decimals } = this.catalog.info(metric);
    return formatMeasure(v, unit, decimals);
  }
  protected online(d: DeviceSummary): boolean {
    return isOnline(d, this.clock.now(), this.offlineAfterMs());
  }
  /** the api cannot be reached: presence and values are as of then */
  protected lost(): boolean {
    return this.connectivity.lostAt() !== null;
  }
  protected old(ts: number): boolean {
    return isStaleValue(ts, this.clock.now(), this.offlineAfterMs());
  }
  protected ago(t: number | null): string {
    return relativeTime(t, this.clock.now());
  }
  protected spark(id: string, metric: string): Spark {
    return this.sparks()[sparkKey(id, metric)] ?? [];
  }
  protected scale(metric: string): string {
    const r = this.ranges()[metric];
    return r
      ? `scale shared by all cards: ${this.measure(metric, r[0])} – ${this.measure(metric, r[1])}`
      : '';
  }
}
