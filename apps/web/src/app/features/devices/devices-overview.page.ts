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

import { AlertsState } from '../../core/alerts-state';
import { ApiClient } from '../../core/api-client';
import { DevicePage, DeviceSummary, LiveDevice, LiveReading } from '../../core/api.types';
import { Clock, relativeTime } from '../../core/clock';
import { applyLiveReadings, liveReadingTime } from '../../core/live-readings';
import { LiveStream } from '../../core/live-stream';
import { MetricCatalog } from '../../core/metric-catalog';
import { formatMeasure } from '../../shared/chart/chart-option';
import { SparklineComponent } from '../../shared/sparkline.component';
import { StateComponent } from '../../shared/state.component';
import { displayName, isOnline } from './device-status';

type StatusFilter = 'all' | 'online' | 'offline';
type Spark = (readonly [number, number])[];

const SPARK_WINDOW_S = 3600;
const SPARK_POINTS = 40;
/** the most ids GET /sparklines takes */
const SPARK_CHUNK = 200;
const SPARK_DEBOUNCE_MS = 300;
/** a device fetched this recently is not fetched again when it comes back into view (live events keep it current) */
const SPARK_FRESH_MS = 60_000;
/** devices per page: the server searches and pages, so a fleet of 10,000 costs the browser one page */
export const PAGE_SIZE = 120;
const SEARCH_DEBOUNCE_MS = 300;

@Component({
  selector: 'sh-devices-overview',
  imports: [RouterLink, SparklineComponent, StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <div>
        <h1>Devices</h1>
        @if (page(); as p) {
          <div class="sub" data-testid="device-count">
            {{ p.fleetOnline }} online · {{ p.fleetTotal }} total
          </div>
        }
      </div>
      <div class="filters">
        <input
          type="search"
          placeholder="Search name, id or location"
          aria-label="Search devices"
          [value]="query()"
          (input)="query.set($any($event.target).value)"
          data-testid="search"
        />
        <div class="segmented" role="group" aria-label="Status">
          @for (f of statusFilters; track f) {
            <button type="button" [attr.aria-pressed]="status() === f" (click)="status.set(f)">
              {{ f }}
            </button>
          }
        </div>
      </div>
    </div>

    @if (denied()) {
      <div class="alert info" role="status">
        That page is for administrators. Ask an admin if you need access.
      </div>
    }

    @if (error(); as e) {
      <div class="panel">
        <sh-state
          kind="error"
          title="Devices could not be loaded"
          [message]="e"
          action="Try again"
          (act)="load()"
        />
      </div>
    } @else if (devices() === null) {
      <div class="grid" aria-busy="true">
        @for (i of skeleton; track i) {
          <div class="card skeleton">
            <div class="sk w60"></div>
            <div class="sk w40"></div>
            <div class="sk w80"></div>
            <div class="sk w70"></div>
          </div>
        }
      </div>
    } @else if (page()!.fleetTotal === 0) {
      <div class="panel">
        <sh-state
          kind="empty"
          title="No devices yet"
          message="A device appears here after its first message, e.g. on devices/<id>/temperature or devices/<id>/telemetry."
        />
      </div>
    } @else if (visible().length === 0) {
      <div class="panel">
        <sh-state
          kind="empty"
          title="No devices match"
          message="Try another search or status."
          action="Clear filters"
          (act)="clearFilters()"
        />
      </div>
    } @else {
      <div class="grid" data-testid="device-grid">
        @for (d of visible(); track d.id) {
          <a class="card" [routerLink]="['/devices', d.id]" [attr.data-device]="d.id">
            <div class="card-head">
              <div class="names">
                <div class="name">{{ name(d) }}</div>
                <div class="where muted">{{ d.location || d.id }}</div>
              </div>
              @if (alerting().get(d.id); as n) {
                <span class="badge alerting" data-testid="card-alerts" [title]="n + ' firing alert(s)'"
                  >{{ n }} firing</span
                >
              }
              @if (online(d)) {
                <span class="badge online" data-testid="status"><span class="dot"></span>Online</span>
              } @else {
                <span class="badge offline" data-testid="status"><span class="dot"></span>Offline</span>
              }
            </div>
            <div class="meta">
              <span title="Last seen" data-testid="last-seen">
                <svg viewBox="0 0 16 16" aria-hidden="true">
                  <circle cx="8" cy="8" r="6.5" />
                  <path d="M8 4.5V8l2.5 1.5" />
                </svg>
                {{ ago(d.lastSeen) }}
              </span>
              @if (d.battery !== null) {
                <span title="Battery" [class.low]="d.battery < 20" data-testid="battery">
                  <svg viewBox="0 0 16 16" aria-hidden="true">
                    <rect x="1.5" y="4.5" width="11" height="7" rx="1.5" />
                    <path d="M14.5 7v2" />
                  </svg>
                  {{ d.battery.toFixed(0) }}%
                </span>
              }
            </div>
            @if (d.metrics.length) {
              <ul class="metrics">
                @for (m of d.metrics; track m.metric) {
                  <li [attr.data-metric]="m.metric">
                    <span class="metric-name">{{ catalog.label(m.metric) }}</span>
                    <span class="metric-value tabular" data-testid="metric-value">{{
                      measure(m.metric, m.value)
                    }}</span>
                    <sh-sparkline [points]="spark(d.id, m.metric)" />
                  </li>
                }
              </ul>
            } @else {
              <div class="no-metrics muted">No readings yet</div>
            }
          </a>
        }
      </div>
      @if (page()!.total > page()!.limit) {
        <nav class="pager" aria-label="Pages" data-testid="pager">
          <button type="button" (click)="goTo(offset() - pageSize)" [disabled]="offset() === 0">
            Previous
          </button>
          <span class="muted" data-testid="page-range">
            {{ offset() + 1 }}–{{ offset() + devices()!.length }} of {{ page()!.total }}
          </span>
          <button
            type="button"
            (click)="goTo(offset() + pageSize)"
            [disabled]="offset() + pageSize >= page()!.total"
            data-testid="next-page"
          >
            Next
          </button>
        </nav>
      }
    }
  `,
  styles: `
    .pager {
      display: flex;
      justify-content: center;
      align-items: center;
      gap: 16px;
      margin-top: 20px;
    }
    .filters {
      display: flex;
      gap: 10px;
      flex-wrap: wrap;
      align-items: center;
    }
    .filters input {
      width: 260px;
      max-width: 100%;
    }
    .segmented button {
      text-transform: capitalize;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
      gap: 16px;
    }
    .card {
      display: flex;
      flex-direction: column;
      gap: 12px;
      padding: 16px;
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: var(--radius);
      box-shadow: var(--shadow);
      color: inherit;
      text-decoration: none;
      transition:
        border-color 0.15s,
        box-shadow 0.15s;
      min-width: 0;
    }
    a.card:hover {
      border-color: #b9cde3;
      box-shadow: 0 4px 14px rgba(16, 24, 40, 0.08);
    }
    .card-head {
      display: flex;
      justify-content: space-between;
      align-items: flex-start;
      gap: 8px;
    }
    .names {
      min-width: 0;
    }
    .name {
      font-weight: 620;
      font-size: 15px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .where {
      font-size: 13px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .meta {
      display: flex;
      gap: 16px;
      font-size: 13px;
      color: var(--muted);
    }
    .meta span {
      display: inline-flex;
      align-items: center;
      gap: 5px;
    }
    .meta svg {
      width: 14px;
      height: 14px;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.4;
      stroke-linecap: round;
    }
    .meta .low {
      color: var(--danger);
    }
    .metrics {
      list-style: none;
      margin: 0;
      padding: 10px 0 0;
      border-top: 1px solid #edf0f4;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .metrics li {
      display: grid;
      grid-template-columns: minmax(70px, 1fr) auto minmax(60px, 90px);
      align-items: center;
      gap: 10px;
      font-size: 13px;
    }
    .metric-name {
      color: var(--muted);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .metric-value {
      font-weight: 600;
      font-size: 15px;
      text-align: right;
    }
    .no-metrics {
      font-size: 13px;
      padding-top: 10px;
      border-top: 1px solid #edf0f4;
    }
    .skeleton {
      gap: 10px;
    }
    .sk {
      height: 12px;
      border-radius: 6px;
      background: linear-gradient(90deg, #eef1f5, #f7f9fb, #eef1f5);
      background-size: 200% 100%;
      animation: sh 1.2s infinite;
    }
    .w40 {
      width: 40%;
    }
    .w60 {
      width: 60%;
    }
    .w70 {
      width: 70%;
    }
    .w80 {
      width: 80%;
    }
    @keyframes sh {
      to {
        background-position: -200% 0;
      }
    }
    @media (max-width: 640px) {
      .grid {
        grid-template-columns: 1fr;
        gap: 12px;
      }
      .filters,
      .filters input {
        width: 100%;
      }
    }
  `,
})
export class DevicesOverviewPage {
  private readonly api = inject(ApiClient);
  private readonly alertsState = inject(AlertsState);
  /** firing alerts per device id */
  protected readonly alerting = computed(() => {
    const m = new Map<string, number>();
    for (const a of this.alertsState.firing()) m.set(a.deviceId, (m.get(a.deviceId) ?? 0) + 1);
    return m;
  });
  private readonly clock = inject(Clock);
  private readonly live = inject(LiveStream);
  protected readonly catalog = inject(MetricCatalog);

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
  private readonly sparks = signal<Record<string, Spark>>({});
  /** when each device's sparklines were last requested (epoch ms) */
  private readonly sparksFetchedAt = new Map<string, number>();
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
      const delay = this.sparksFetchedAt.size ? SPARK_DEBOUNCE_MS : 0;
      const timer = setTimeout(() => void this.loadSparks(ids.split(',')), delay);
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
      if (seq === this.loads) this.error.set((e as { message?: string }).message ?? 'Unknown error');
    }
  }

  protected goTo(offset: number): void {
    this.offset.set(Math.max(0, offset));
    void this.load();
    window.scrollTo?.({ top: 0 });
  }

  protected clearFilters(): void {
    this.query.set('');
    this.status.set('all');
  }

  protected name = displayName;
  /** a value with the catalog's unit and decimals */
  protected measure(metric: string, v: number): string {
    const { unit, decimals } = this.catalog.info(metric);
    return formatMeasure(v, unit, decimals);
  }
  protected online(d: DeviceSummary): boolean {
    return isOnline(d, this.clock.now(), this.page()?.offlineAfterMs);
  }
  protected ago(t: number | null): string {
    return relativeTime(t, this.clock.now());
  }
  protected spark(id: string, metric: string): Spark {
    return this.sparks()[`${id}\u0000${metric}`] ?? [];
  }

  /**
   * Last hour of every metric of the shown devices not fetched lately, top of the page first, one request per
   * SPARK_CHUNK devices. Fetched buckets replace what a key held up to its last bucket; live points after it stay.
   */
  private async loadSparks(ids: string[]): Promise<void> {
    const now = Date.now();
    const due = ids.filter((id) => now - (this.sparksFetchedAt.get(id) ?? -Infinity) >= SPARK_FRESH_MS);
    for (const id of due) this.sparksFetchedAt.set(id, now);
    for (let i = 0; i < due.length; i += SPARK_CHUNK) {
      const chunk = due.slice(i, i + SPARK_CHUNK);
      try {
        const series = await this.api.sparklines(chunk, SPARK_WINDOW_S, SPARK_POINTS);
        this.sparks.update((all) => {
          const next = { ...all };
          for (const s of series) {
            const k = `${s.deviceId}\u0000${s.metric}`;
            const pts: Spark = s.points.map((p) => [p.t, p.avg] as const);
            const last = pts.length ? pts[pts.length - 1][0] : -Infinity;
            const live = (all[k] ?? []).filter(([t]) => t > last);
            next[k] = merge(pts, live);
          }
          return next;
        });
      } catch {
        // a missing sparkline is not worth an error state; the next change of the shown set tries again
        for (const id of chunk) this.sparksFetchedAt.delete(id);
      }
    }
  }

  private onReadings(batch: LiveReading[]): void {
    const list = this.devices();
    if (!list) return;
    const known = new Set(list.map((d) => d.id));
    if (batch.some((r) => !known.has(r.deviceId))) this.newDeviceMayBelongHere();
    const next = applyLiveReadings(list, batch);
    if (next === list) return;
    this.devices.set(next);
    const cutoff = Date.now() - SPARK_WINDOW_S * 1000;
    this.sparks.update((all) => {
      const next = { ...all };
      for (const r of batch) {
        const k = `${r.deviceId}\u0000${r.metric}`;
        next[k] = merge(next[k] ?? [], [[liveReadingTime(r), r.value]]).filter(([t]) => t >= cutoff);
      }
      return next;
    });
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

function merge(a: Spark, b: Spark): Spark {
  const m = new Map<number, readonly [number, number]>();
  for (const p of a) m.set(p[0], p);
  for (const p of b) m.set(p[0], p);
  return [...m.values()].sort((x, y) => x[0] - y[0]);
}
