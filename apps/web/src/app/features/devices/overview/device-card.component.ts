import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';

import { DeviceSummary } from '../../../core/api.types';
import { Clock, relativeTime } from '../../../core/clock';
import { MetricCatalog } from '../../../core/metric-catalog';
import { formatMeasure } from '../../../shared/chart/chart-option';
import { SparklineComponent } from '../../../shared/sparkline.component';
import { displayName, isOnline } from '../device-status';
import { Spark, sparkKey } from './device-sparks';

/** One device of the overview: name, presence, battery, latest values with their last hour; without a device, its loading placeholder. */
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

  readonly device = input<DeviceSummary | null>(null);
  /** how many of its alerts are firing */
  readonly alerts = input<number>();
  /** silence after which a device without presence counts as offline (the api's setting) */
  readonly offlineAfterMs = input<number>();
  /** the sparklines of the shown devices, by sparkKey() */
  readonly sparks = input<Record<string, Spark>>({});

  protected readonly name = displayName;
  /** a value with the catalog's unit and decimals */
  protected measure(metric: string, v: number): string {
    const { unit, decimals } = this.catalog.info(metric);
    return formatMeasure(v, unit, decimals);
  }
  protected online(d: DeviceSummary): boolean {
    return isOnline(d, this.clock.now(), this.offlineAfterMs());
  }
  protected ago(t: number | null): string {
    return relativeTime(t, this.clock.now());
  }
  protected spark(id: string, metric: string): Spark {
    return this.sparks()[sparkKey(id, metric)] ?? [];
  }
}
