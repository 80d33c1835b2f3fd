import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  linkedSignal,
  resource,
  signal,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AlertsState } from '../../../core/alerts-state';
import { AlertsClient } from '../../../core/alerts-client';
import { DevicesClient } from '../../../core/devices-client';
import { ALL_METRICS, ReadingsClient } from '../../../core/readings-client';
import { errorMessage } from '../../../core/errors';
import { LiveReading, Series } from '../../../core/api.types';
import { AuthService } from '../../../core/auth.service';
import { reloadAfterOutage } from '../../../core/connectivity';
import { applyLiveReadings, liveReadingTime } from '../../../core/live-readings';
import { LiveStream } from '../../../core/live-stream';
import { MetricCatalog } from '../../../core/metric-catalog';
import { alertSpans } from '../../../shared/chart/chart-marks';
import { ZoomWindow, prefetchECharts } from '../../../shared/chart/chart.component';
import { formatTime } from '../../../core/format';
import { StateComponent } from '../../../shared/state.component';
import { liveDataOf } from '../device-status';
import { KIOSK_REFRESH, isKiosk } from '../kiosk';
import { lastDayBefore, maxPointsFor, relativeLabel } from '../range';
import { ChartGridComponent } from './chart-grid.component';
import { LiveTail, alertThresholds, buildChartPanels, downloadCsv, mergeSeries } from './device-charts';
import { DeviceCommandComponent } from './device-command.component';
import { DeviceHeaderComponent } from './device-header.component';
import { DeviceEdit, DeviceEditFormComponent } from './device-edit-form.component';
import { metadataEntries } from './device-forms';
import { ChartLayout, RangeToolbarComponent } from './range-toolbar.component';
import { TimeControl } from './time-control';

@Component({
  selector: 'sh-device-detail',
  imports: [
    RouterLink,
    StateComponent,
    ChartGridComponent,
    DeviceCommandComponent,
    DeviceEditFormComponent,
    DeviceHeaderComponent,
    RangeToolbarComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-detail.page.html',
  styleUrl: './device-detail.page.css',
})
export class DeviceDetailPage {
  private readonly alertsApi = inject(AlertsClient);
  private readonly devicesApi = inject(DevicesClient);
  private readonly readingsApi = inject(ReadingsClient);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthService);
  private readonly liveStream = inject(LiveStream);
  protected readonly catalog = inject(MetricCatalog);
  private readonly alertsState = inject(AlertsState);
  /** the thresholds of this device's firing alerts, as lines on their metric's chart */
  private readonly thresholds = computed(() => alertThresholds(this.alertsState.firing(), this.id()));

  /** this device's alerts (newest 500), drawn as firing spans with pins on their metric's chart */
  private readonly alertHistory = resource({
    params: () => ({ id: this.id(), changes: this.alertsState.changes() }),
    loader: ({ params: p }) => this.alertsApi.alerts({ deviceId: p.id, limit: 500, offset: 0 }),
  });

  // URL state (route param + query params, bound by withComponentInputBinding)
  readonly id = input.required<string>();
  readonly range = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly metrics = input<string>();
  readonly view = input<string>();
  readonly zoomFrom = input<string>();
  readonly zoomTo = input<string>();
  readonly refresh = input<string>();
  /** `?kiosk=1`: a wall screen — no editing or commands, the range read again every minute unless `refresh` says */
  readonly kiosk = input<string>();
  protected readonly onWall = computed(() => isKiosk(this.kiosk()));

  protected readonly timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  protected readonly canEdit = computed(() => this.auth.can('operator'));
  protected readonly compact = signal(window.innerWidth < 640);
  protected readonly chartHeight = computed(() => (this.compact() ? 220 : 300));

  /** range, zoom and auto-refresh, kept in the URL */
  protected readonly time = new TimeControl(
    {
      range: this.range,
      from: this.from,
      to: this.to,
      zoomFrom: this.zoomFrom,
      zoomTo: this.zoomTo,
      refresh: computed(() => this.refresh() ?? (this.onWall() ? KIOSK_REFRESH : undefined)),
    },
    () => this.readings.reload(),
  );
  protected readonly rangeSel = this.time.range;

  /** the range note's "live" tag: only while the api answers and the device is online */
  protected readonly liveNow = computed(() => this.rangeSel().live && this.dataLive());
  protected readonly device = resource({
    params: () => ({ id: this.id() }),
    loader: ({ params }) => this.devicesApi.device(params.id),
  });
  protected readonly dataLive = liveDataOf(this.device);

  // equal by content: live updates replace the device object, which must not refetch the readings
  protected readonly metricNames = computed(
    () => (this.device.hasValue() ? this.device.value().metrics.map((m) => m.metric) : []),
    { equal: sameList },
  );
  protected readonly selected = computed(
    () => {
      const all = this.metricNames();
      const wanted = this.metrics()?.split(',').filter(Boolean);
      return wanted?.length ? all.filter((m) => wanted.includes(m)) : all;
    },
    { equal: sameList },
  );
  protected readonly layout = computed<ChartLayout>(() => (this.view() === 'overlay' ? 'overlay' : 'split'));

  private readonly maxPoints = maxPointsFor(Math.min(window.innerWidth, 1400));

  /** bumped when a live reading brings a metric the device had not: all its metrics are loaded again */
  private readonly metricsAdded = signal(0);

  /**
   * What the range's readings are loaded for: the metrics picked in the URL (once the device says which it has), or
   * with none picked every metric of the device (`device:*`), asked at once beside the device, not after its answer.
   */
  private readonly readingsFor = computed(
    () => {
      const r = this.rangeSel();
      const base = { id: this.id(), from: r.from, to: r.to, added: this.metricsAdded() };
      if (!this.metrics()) return { ...base, metrics: null };
      const metrics = this.selected();
      return metrics.length ? { ...base, metrics } : undefined;
    },
    { equal: sameLoad },
  );

  /** the whole range, downsampled to about one point per 2 px */
  protected readonly readings = resource({
    params: () => this.readingsFor(),
    loader: ({ params: p }) => this.loadSeries(p.id, p.metrics, p.from, p.to),
  });

  /** what was loaded last: kept on screen while a new range or an auto-refresh loads */
  private readonly shown = linkedSignal<Series[] | undefined, Series[]>({
    source: () => (this.readings.hasValue() ? this.readings.value() : undefined),
    computation: (v, prev) => v ?? prev?.value ?? [],
  });

  /** the zoomed window at finer resolution */
  protected readonly zoom = this.time.zoom;
  protected readonly fine = resource({
    params: () => {
      const z = this.zoom();
      const metrics = this.selected();
      if (!z || !metrics.length) return undefined;
      return { id: this.id(), metrics, from: z.start, to: z.end };
    },
    loader: ({ params: p }) => this.loadSeries(p.id, p.metrics, p.from, p.to),
  });

  /** live points received since the range was loaded */
  private readonly tail = linkedSignal<unknown, LiveTail>({
    source: () => [this.id(), this.rangeSel()],
    computation: () => ({}),
  });

  private readonly merged = computed(() =>
    mergeSeries(
      this.shown(),
      this.zoom(),
      this.zoom() && this.fine.hasValue() ? this.fine.value() : [],
      this.tail(),
    ),
  );

  protected readonly charts = computed(() => {
    const r = this.rangeSel();
    return buildChartPanels({
      series: this.merged(),
      fine: this.zoom() && this.fine.hasValue() ? this.fine.value() : null,
      layout: this.layout(),
      catalog: this.catalog,
      metrics: this.metricNames(),
      live: r.live,
      from: r.from,
      to: r.to,
      zoom: this.zoom(),
      timeZone: this.timeZone,
      compact: this.compact(),
      thresholds: this.thresholds(),
      alerts: this.alertHistory.hasValue()
        ? alertSpans(this.alertHistory.value().items, r.from, Infinity)
        : [],
    });
  });

  /**
   * The range is empty but the device has older readings (it went quiet): the day ending at its last reading of the
   * chosen metrics, offered instead of empty charts.
   */
  protected readonly lastDay = computed(() => {
    if (this.readings.isLoading() || !this.readings.hasValue()) return null;
    if (this.merged().some((s) => s.points.length)) return null;
    const chosen = this.selected();
    const ts = this.device.hasValue()
      ? this.device
          .value()
          .metrics.filter((m) => chosen.includes(m.metric))
          .map((m) => m.ts)
      : [];
    return lastDayBefore(ts.length ? Math.max(...ts) : null, this.rangeSel());
  });

  protected readonly rangeLabel = computed(() => {
    const r = this.rangeSel();
    return r.relative
      ? relativeLabel(r.relative)
      : `${formatTime(r.from, this.timeZone, false)} – ${formatTime(r.to, this.timeZone, false)}`;
  });

  protected readonly editing = signal(false);
  protected readonly meta = computed(() =>
    this.device.hasValue() ? metadataEntries(this.device.value().metadata) : [],
  );

  protected readonly exporting = signal(false);
  protected readonly exportError = signal<string | null>(null);

  constructor() {
    prefetchECharts();
    reloadAfterOutage(this.device, this.readings, this.fine);
    void this.catalog.load();
    const stop = this.liveStream.listen({ readings: (b) => this.onLive(b) });
    const onResize = () => this.compact.set(window.innerWidth < 640);
    window.addEventListener('resize', onResize);
    inject(DestroyRef).onDestroy(() => {
      stop();
      window.removeEventListener('resize', onResize);
    });
  }

  protected fmtTime = (t: number) => formatTime(t, this.timeZone, false);
  protected readonly errMsg = errorMessage;

  protected setView(v: ChartLayout): void {
    void this.router.navigate([], {
      queryParams: { view: v === 'split' ? null : v },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected toggleMetric(m: string): void {
    const cur = this.selected();
    const next = cur.includes(m) ? cur.filter((x) => x !== m) : [...cur, m];
    const all = this.metricNames();
    const value =
      next.length === all.length
        ? null
        : next.length
          ? this.metricNames()
              .filter((x) => next.includes(x))
              .join(',')
          : '-';
    void this.router.navigate([], { queryParams: { metrics: value }, queryParamsHandling: 'merge' });
  }

  protected onZoom(z: ZoomWindow | null): void {
    this.time.setZoom(z);
  }

  protected onSaved(edit: DeviceEdit): void {
    this.device.update((d) => (d ? { ...d, ...edit } : d));
    this.editing.set(false);
  }

  protected async exportCsv(): Promise<void> {
    const r = this.rangeSel();
    const z = this.zoom();
    const from = z?.start ?? r.from;
    const to = z?.end ?? (r.live ? Date.now() : r.to);
    this.exporting.set(true);
    this.exportError.set(null);
    try {
      const all = this.selected().length === this.metricNames().length;
      const blob = await this.readingsApi.exportCsv(this.id(), all ? null : this.selected(), from, to);
      downloadCsv(blob, this.id(), from, to, this.timeZone);
    } catch (e) {
      this.exportError.set(`Export failed: ${this.errMsg(e)}`);
    } finally {
      this.exporting.set(false);
    }
  }

  /** the metrics' series in one request (GET /series); null: every metric of the device, in the page's name order */
  private async loadSeries(
    id: string,
    metrics: string[] | null,
    from: number,
    to: number,
  ): Promise<Series[]> {
    const keys = (metrics ?? [ALL_METRICS]).map((metric) => ({ deviceId: id, metric }));
    const series = await this.readingsApi.series(keys, {
      from,
      to,
      maxPoints: this.maxPoints,
      tz: this.timeZone,
    });
    return metrics ? series : series.sort((a, b) => a.metric.localeCompare(b.metric));
  }

  private onLive(batch: LiveReading[]): void {
    const id = this.id();
    const mine = batch.filter((r) => r.deviceId === id);
    if (!mine.length) return;
    const had = this.metricNames();
    this.device.update((d) => d && applyLiveReadings([d], mine)[0]);
    if (this.device.hasValue() && mine.some((r) => !had.includes(r.metric)))
      this.metricsAdded.update((n) => n + 1);
    if (!this.rangeSel().live) return;
    this.tail.update((t) => {
      const next = { ...t };
      for (const r of mine)
        next[r.metric] = [
          ...(next[r.metric] ?? []),
          { t: liveReadingTime(r), avg: r.value, min: r.value, max: r.value, count: 1 },
        ];
      return next;
    });
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

interface ReadingsLoad {
  id: string;
  metrics: string[] | null;
  added: number;
  from: number;
  to: number;
}

/** equal by content: a new list of the same metrics (the device's live updates make one) loads nothing */
function sameLoad(a: ReadingsLoad | undefined, b: ReadingsLoad | undefined): boolean {
  if (!a || !b) return a === b;
  const metrics = a.metrics && b.metrics ? sameList(a.metrics, b.metrics) : a.metrics === b.metrics;
  return a.id === b.id && a.from === b.from && a.to === b.to && a.added === b.added && metrics;
}
