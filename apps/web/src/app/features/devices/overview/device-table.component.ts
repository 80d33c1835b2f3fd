import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';

import { DeviceSort, DeviceSummary } from '../../../core/api.types';
import { Clock, relativeTime } from '../../../core/clock';
import { Connectivity } from '../../../core/connectivity';
import { MetricCatalog } from '../../../core/metric-catalog';
import { formatMeasure } from '../../../shared/chart/chart-option';
import { displayName, isLowBattery, isOnline, isStaleValue } from '../device-status';

interface Column {
  label: string;
  /** ascending order, its reverse with a leading '-' */
  sort: 'name' | 'trouble' | 'lastSeen' | 'battery';
}

/** The fleet's latest values as a table: one row a device, sortable by the server (the whole fleet, not the page). */
@Component({
  selector: 'sh-device-table',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-table.component.html',
  styleUrl: './device-table.component.css',
})
export class DeviceTableComponent {
  private readonly clock = inject(Clock);
  private readonly connectivity = inject(Connectivity);
  protected readonly catalog = inject(MetricCatalog);

  readonly devices = input.required<DeviceSummary[]>();
  /** firing alerts per device id */
  readonly alerts = input<Map<string, number>>(new Map());
  readonly offlineAfterMs = input<number>();
  readonly sort = input<DeviceSort>('trouble');
  readonly sortChange = output<DeviceSort>();

  protected readonly columns: Column[] = [
    { label: 'Device', sort: 'name' },
    { label: 'Status', sort: 'trouble' },
    { label: 'Battery', sort: 'battery' },
    { label: 'Last seen', sort: 'lastSeen' },
  ];
  protected readonly name = displayName;
  protected readonly lowBattery = isLowBattery;

  /** 'ascending' / 'descending' on the sorted column (aria-sort), else 'none' */
  protected ariaSort(c: Column): string {
    const s = this.sort();
    if (s === c.sort) return c.sort === 'trouble' ? 'other' : 'ascending';
    return s === `-${c.sort}` ? 'descending' : 'none';
  }
  /** a click sorts by the column; on the sorted column it reverses (problems first has one way) */
  protected toggle(c: Column): void {
    const s = this.sort();
    this.sortChange.emit(c.sort !== 'trouble' && s === c.sort ? (`-${c.sort}` as DeviceSort) : c.sort);
  }
  protected online(d: DeviceSummary): boolean {
    return isOnline(d, this.clock.now(), this.offlineAfterMs());
  }
  protected lost(): boolean {
    return this.connectivity.lostAt() !== null;
  }
  protected old(ts: number): boolean {
    return this.lost() || isStaleValue(ts, this.clock.now(), this.offlineAfterMs());
  }
  protected ago(t: number | null): string {
    return relativeTime(t, this.clock.now());
  }
  protected measure(metric: string, v: number): string {
    const { unit, decimals } = this.catalog.info(metric);
    return formatMeasure(v, unit, decimals);
  }
}
