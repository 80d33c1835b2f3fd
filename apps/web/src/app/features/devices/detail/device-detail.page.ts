import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  resource,
  signal,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { AlertsState } from '../../../core/alerts-state';
import { AlertsClient } from '../../../core/alerts-client';
import { DevicesClient } from '../../../core/devices-client';
import { ReadingsClient } from '../../../core/readings-client';
import { errorMessage } from '../../../core/errors';
import { LiveReading } from '../../../core/api.types';
import { AuthService } from '../../../core/auth.service';
import { reloadAfterOutage } from '../../../core/connectivity';
import { applyLiveReadings } from '../../../core/live-readings';
import { LiveStream } from '../../../core/live-stream';
import { MetricCatalog } from '../../../core/metric-catalog';
import { alertSpans } from '../../../shared/chart/chart-marks';
import { ZoomWindow, prefetchECharts } from '../../../shared/chart/chart.component';
import { compareNames, formatTime } from '../../../core/format';
import { StateComponent } from '../../../shared/state.component';
import { liveDataOf } from '../device-status';
import { KIOSK_REFRESH, isKiosk } from '../kiosk';
import { lastDayBefore, maxPointsFor, relativeLabel } from '../range';
import { ChartGridComponent } from './chart-grid.component';
import { alertThresholds, buildChartPanels, downloadCsv } from './device-charts';
import { DeviceCommandComponent } from './device-command.component';
import { DeviceHeaderComponent } from './device-header.component';
import { DeviceEdit, DeviceEditFormComponent } from './device-edit-form.component';
import { metadataEntries } from './device-forms';
import { DeviceSeries, sameList } from './device-series';
import { ChartLayout, RangeToolbarComponent } from './range-toolbar.component';
import { TimeControl } from './time-control';
import { PanelAxes, formatAxes, parseAxes } from './y-axes';

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
  /** each panel's y-axis choices (limits, log scale, band): see parseAxes */
  readonly y = input<string>();
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
    () =>
      this.device.hasValue()
        ? this.device
            .value()
            .metrics.map((m) => m.metric)
            .sort(compareNames)
        : [],
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
  protected readonly axes = computed(() => parseAxes(this.y()));
  protected readonly layout = computed<ChartLayout>(() => (this.view() === 'overlay' ? 'overlay' : 'split'));

  /** bumped when a live reading brings a metric the device had not: all its metrics are loaded again */
  private readonly metricsAdded = signal(0);

  /** the range's readings, the zoomed window's and the live points, merged */
  private readonly series = new DeviceSeries({
    id: this.id,
    range: this.rangeSel,
    zoom: this.time.zoom,
    picked: this.metrics,
    selected: this.selected,
    added: this.metricsAdded,
    timeZone: this.timeZone,
    maxPoints: maxPointsFor(Math.min(window.innerWidth, 1400)),
  });
  protected readonly readings = this.series.readings;
  protected readonly fine = this.series.fine;
  protected readonly zoom = this.time.zoom;

  protected readonly charts = computed(() => {
    const r = this.rangeSel();
    return buildChartPanels({
      series: this.series.merged(),
      fine: this.series.fineShown(),
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
    if (this.series.merged().some((s) => s.points.length)) return null;
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
    // once the device's header is on screen (its name is the page's largest paint)
    prefetchECharts(() => this.device.hasValue());
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

  protected setAxes(axes: PanelAxes): void {
    void this.router.navigate([], {
      queryParams: { y: formatAxes(axes) },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
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

  private onLive(batch: LiveReading[]): void {
    const id = this.id();
    const mine = batch.filter((r) => r.deviceId === id);
    if (!mine.length) return;
    const had = this.metricNames();
    this.device.update((d) => d && applyLiveReadings([d], mine)[0]);
    if (this.device.hasValue() && mine.some((r) => !had.includes(r.metric)))
      this.metricsAdded.update((n) => n + 1);
    this.series.appendLive(mine);
  }
}
