import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { DEVICE_SORTS } from '@sensorhub/contracts';

import { AlertsState } from '../../../core/alerts-state';
import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { ReadingsClient } from '../../../core/readings-client';
import { DevicePage, DeviceSort, DeviceSummary, LiveDevice, LiveReading } from '../../../core/api.types';
import { Clock } from '../../../core/clock';
import { Connectivity } from '../../../core/connectivity';
import { applyLiveReadings } from '../../../core/live-readings';
import { LiveStream } from '../../../core/live-stream';
import { MetricCatalog } from '../../../core/metric-catalog';
import { preloadDevicePage } from '../../../core/page-code';
import { StateComponent } from '../../../shared/state.component';
import { COMPARE_MAX } from '../compare/compare';
import { isOnline } from '../device-status';
import { KIOSK_REFRESH_MS, isKiosk } from '../kiosk';
import { DeviceCardComponent } from './device-card.component';
import { DeviceSparks } from './device-sparks';
import { DeviceTableComponent } from './device-table.component';

type StatusFilter = 'all' | 'online' | 'offline';
type View = 'cards' | 'table';

const SPARK_DEBOUNCE_MS = 300;
/** devices per page: the server searches and pages, so a fleet of 10,000 costs the browser one page */
export const PAGE_SIZE = 120;
const SEARCH_DEBOUNCE_MS = 300;
/** a wall screen re-reads the page this often: the order (trouble first) and presence stay current */

@Component({
  selector: 'sh-devices-overview',
  imports: [RouterLink, DeviceCardComponent, DeviceTableComponent, StateComponent],
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

  private readonly router = inject(Router);
  private readonly connectivity = inject(Connectivity);

  /** ?denied=1 after a role guard sent the user here */
  readonly denied = input<string>();
  /** ?view=table: the latest-values table instead of the cards */
  readonly view = input<string>();
  /** ?kiosk=1: a wall screen — the whole page is fetched again every minute, besides the live updates */
  readonly kiosk = input<string>();
  /** ?sort=…: the order the server lists the fleet in; problems first unless asked otherwise */
  readonly sort = input<string>();
  protected readonly viewMode = computed<View>(() => (this.view() === 'table' ? 'table' : 'cards'));
  protected readonly order = computed<DeviceSort>(() => {
    const s = this.sort();
    return s && (DEVICE_SORTS as readonly string[]).includes(s) ? (s as DeviceSort) : 'trouble';
  });

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
  private loadedOrder: DeviceSort | null = null;

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
    // the first page at once; a new search, status or order from the first page, once typing pauses
    void this.load();
    let first = true;
    effect((onCleanup) => {
      const q = this.query().trim();
      const status = this.status();
      const order = this.order();
      if (first) {
        first = false;
        // the URL's ?sort arrives after the constructor's load
        if (order !== this.loadedOrder) untracked(() => void this.load());
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
      if (!ids || this.viewMode() === 'table') return; // the table has no sparklines
      // the first set at once; later changes (typing a search) once they pause
      const delay = this.sparks.started ? SPARK_DEBOUNCE_MS : 0;
      const last = untracked(() => new Map(this.visible().map((d) => [d.id, lastReading(d)])));
      const timer = setTimeout(
        () => void this.sparks.load(ids.split(','), (id) => last.get(id) ?? null),
        delay,
      );
      onCleanup(() => clearTimeout(timer));
    });
    effect((onCleanup) => {
      if (!isKiosk(this.kiosk())) return;
      const timer = setInterval(() => void this.load(), KIOSK_REFRESH_MS);
      onCleanup(() => clearInterval(timer));
    });
    // the api is back after an outage: load the page again (presence and values moved on meanwhile)
    effect(() => {
      if (this.connectivity.recovered()) untracked(() => void this.load());
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
    this.loadedOrder = this.order();
    try {
      const { items, ...page } = await this.api.devicesPage({
        limit: PAGE_SIZE,
        offset: this.offset(),
        q: q || undefined,
        status: status === 'all' ? undefined : status,
        sort: this.order(),
      });
      if (seq !== this.loads) return; // a later search answered first
      this.page.set(page);
      this.devices.set(items);
      if (seq === 1) preloadDevicePage(); // a card's page opens at once, even with the api gone
    } catch (e) {
      if (seq === this.loads) this.error.set(errorMessage(e));
    }
  }

  /** view and order live in the URL, so a shared link or a reload keeps them */
  protected setView(view: View): void {
    void this.router.navigate([], {
      queryParams: { view: view === 'cards' ? null : view },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected setSort(sort: DeviceSort): void {
    this.offset.set(0);
    void this.router.navigate([], {
      queryParams: { sort: sort === 'trouble' ? null : sort },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
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

/** when the device's newest value was read, if it has any */
function lastReading(d: DeviceSummary): number | null {
  return d.metrics.length ? Math.max(...d.metrics.map((m) => m.ts)) : null;
}
