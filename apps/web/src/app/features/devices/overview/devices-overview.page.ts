import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { RouterLink } from '@angular/router';

import { AlertsState } from '../../../core/alerts-state';
import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { ReadingsClient } from '../../../core/readings-client';
import { DevicePage, DeviceSummary, LiveDevice, LiveReading } from '../../../core/api.types';
import { Clock } from '../../../core/clock';
import { applyLiveReadings } from '../../../core/live-readings';
import { LiveStream } from '../../../core/live-stream';
import { MetricCatalog } from '../../../core/metric-catalog';
import { StateComponent } from '../../../shared/state.component';
import { COMPARE_MAX } from '../compare/compare';
import { isOnline } from '../device-status';
import { DeviceCardComponent } from './device-card.component';
import { DeviceSparks } from './device-sparks';

type StatusFilter = 'all' | 'online' | 'offline';

const SPARK_DEBOUNCE_MS = 300;
/** devices per page: the server searches and pages, so a fleet of 10,000 costs the browser one page */
export const PAGE_SIZE = 120;
const SEARCH_DEBOUNCE_MS = 300;

@Component({
  selector: 'sh-devices-overview',
  imports: [RouterLink, DeviceCardComponent, StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './devices-overview.page.html',
  styleUrl: './devices-overview.page.css',
})
export class DevicesOverviewPage {
  private readonly api = inject(DevicesClient);
  private readonly alertsState = inject(AlertsState);
  /** firing alerts per device id */
  protected readonly alerting = computed(() => {
    const m = new Map<string, number>();
    for (const a of this.alertsState.firing()) m.set(a.deviceId, (m.get(a.deviceId) ?? 0) + 1);
    return m;
  });
  private readonly clock = inject(Clock);
  private readonly live = inject(LiveStream);
  private readonly catalog = inject(MetricCatalog);

  /** ?denied=1 after a role guard sent the user here */
  readonly denied = input<string>();

  protected readonly statusFilters: StatusFilter[] = ['all', 'online', 'offline'];
  protected readonly skeleton = [1, 2, 3, 4, 5, 6];
  protected readonly pageSize = PAGE_SIZE;
  protected readonly page = signal<Omit<DevicePage, 'items'> | null>(null);
  protected readonly devices = signal<DeviceSummary[] | null>(null);
  protected readonly offset = signal(0);
  protected readonly error = signal<string | null>(null);
  protected readonly query = signal('');
  protected readonly status = signal<StatusFilter>('all');
  protected readonly sparks = new DeviceSparks(inject(ReadingsClient));
  /** devices ticked for the compare chart, kept across searches and pages */
  protected readonly picked = signal<readonly string[]>([]);
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private loads = 0;

  /** The page as the server searched, filtered and ordered it; a device whose presence flipped since drops out. */
  protected readonly visible = computed(() => {
    const st = this.status();
    const now = this.clock.now();
    return (this.devices() ?? []).filter(
      (d) => st === 'all' || (st === 'online') === isOnline(d, now, this.page()?.offlineAfterMs),
    );
  });

  /** The shown devices' ids as one string: changes only when the shown set does, not on every live update. */
  private readonly shownIds = computed(() =>
    this.visible()
      .map((d) => d.id)
      .join(','),
  );

  constructor() {
    void this.catalog.load();
    // the first page at once; a new search or status from the first page, once typing pauses
    void this.load();
    let first = true;
    effect((onCleanup) => {
      const q = this.query().trim();
      const status = this.status();
      if (first) {
        first = false;
        return;
      }
      const timer = setTimeout(() => {
        this.offset.set(0);
        void this.load(q, status);
      }, SEARCH_DEBOUNCE_MS);
      onCleanup(() => clearTimeout(timer));
    });
    effect((onCleanup) => {
      const ids = this.shownIds();
      if (!ids) return;
      // the first set at once; later changes (typing a search) once they pause
      const delay = this.sparks.started ? SPARK_DEBOUNCE_MS : 0;
      const timer = setTimeout(() => void this.sparks.load(ids.split(',')), delay);
      onCleanup(() => clearTimeout(timer));
    });
    const stop = this.live.listen({ readings: (r) => this.onReadings(r), devices: (d) => this.onDevices(d) });
    inject(DestroyRef).onDestroy(() => {
      stop();
      clearTimeout(this.reloadTimer);
    });
  }

  async load(q = this.query().trim(), status = this.status()): Promise<void> {
    this.error.set(null);
    const seq = ++this.loads;
    try {
      const { items, ...page } = await this.api.devicesPage({
        limit: PAGE_SIZE,
        offset: this.offset(),
        q: q || undefined,
        status: status === 'all' ? undefined : status,
      });
      if (seq !== this.loads) return; // a later search answered first
      this.page.set(page);
      this.devices.set(items);
    } catch (e) {
      if (seq === this.loads) this.error.set(errorMessage(e));
    }
  }

  protected goTo(offset: number): void {
    this.offset.set(Math.max(0, offset));
    void this.load();
    window.scrollTo?.({ top: 0 });
  }

  protected togglePick(id: string, on: boolean): void {
    this.picked.update((l) =>
      on ? [...l.filter((x) => x !== id), id].slice(-COMPARE_MAX) : l.filter((x) => x !== id),
    );
  }

  protected clearFilters(): void {
    this.query.set('');
    this.status.set('all');
  }

  private onReadings(batch: LiveReading[]): void {
    const list = this.devices();
    if (!list) return;
    const known = new Set(list.map((d) => d.id));
    if (batch.some((r) => !known.has(r.deviceId))) this.newDeviceMayBelongHere();
    const next = applyLiveReadings(list, batch);
    if (next === list) return;
    this.devices.set(next);
    this.sparks.addLive(batch);
  }

  private onDevices(batch: LiveDevice[]): void {
    const list = this.devices();
    if (!list) return;
    const byId = new Map(batch.map((d) => [d.id, d]));
    if (batch.some((d) => !list.some((x) => x.id === d.id))) this.newDeviceMayBelongHere();
    this.devices.set(
      list.map((d) => {
        const u = byId.get(d.id);
        if (!u) return d;
        return {
          ...d,
          lastSeen: Math.max(d.lastSeen ?? 0, Date.parse(u.lastSeen)),
          online: u.online ?? d.online,
          status: u.status ?? d.status,
          battery: u.battery ?? d.battery,
        };
      }),
    );
  }

  /**
   * Another device sent something: on a page with room (the last, or the only one) it may be a new device that belongs
   * here, so fetch the page again (once for a burst). A full page is complete: devices elsewhere in the fleet do not
   * concern it.
   */
  private newDeviceMayBelongHere(): void {
    const page = this.page();
    if (!page || (this.devices()?.length ?? 0) >= page.limit) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), 1000);
  }
}
