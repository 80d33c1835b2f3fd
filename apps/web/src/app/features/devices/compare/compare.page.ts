import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  resource,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { MetricCatalog } from '../../../core/metric-catalog';
import { ReadingsClient } from '../../../core/readings-client';
import { ChartComponent, prefetchECharts } from '../../../shared/chart/chart.component';
import { buildChartOption, formatMeasure } from '../../../shared/chart/chart-option';
import { PALETTE_SIZE, chartPalette } from '../../../shared/chart/palette';
import { StateComponent } from '../../../shared/state.component';
import { displayName } from '../device-status';
import { KIOSK_REFRESH_MS, isKiosk } from '../kiosk';
import { maxPointsFor, resolveRange } from '../range';
import { seriesStats } from '../../../shared/chart/chart-stats';
import { metricOptions, parseDeviceIds, pickMetric } from './compare';

const RANGES = [
  { key: 'now-1h', label: '1 h' },
  { key: 'now-24h', label: '24 h' },
  { key: 'now-7d', label: '7 d' },
  { key: 'now-30d', label: '30 d' },
] as const;

/**
 * One metric of several devices on one chart (`/devices/compare?devices=a,b,c&metric=temperature&range=now-7d`), loaded
 * with one request for all series; everything it shows is in the URL, so the link can be shared.
 */
@Component({
  selector: 'sh-compare-page',
  imports: [RouterLink, ChartComponent, StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './compare.page.html',
  styleUrl: './compare.page.css',
})
export class ComparePage {
  private readonly devicesClient = inject(DevicesClient);
  private readonly readings = inject(ReadingsClient);
  private readonly router = inject(Router);
  protected readonly catalog = inject(MetricCatalog);

  // URL state (query params, bound by withComponentInputBinding)
  readonly devices = input<string>();
  readonly metric = input<string>();
  readonly range = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  /** `?kiosk=1`: a wall screen — read again every minute (a relative range moves on to now) */
  readonly kiosk = input<string>();
  protected readonly onWall = computed(() => isKiosk(this.kiosk()));
  /** "now" of a relative range: when the range was chosen, moved on by the kiosk's refresh */
  private readonly anchor = linkedSignal(() => {
    this.range();
    this.from();
    this.to();
    return Date.now();
  });

  protected readonly ranges = RANGES;
  /** the chart's series colours (the design tokens, in the page's scheme), for the legend's swatches */
  private readonly palette = computed(() => chartPalette());
  private readonly timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  private readonly maxPoints = maxPointsFor(Math.min(window.innerWidth, 1400));
  protected readonly ids = computed(() => parseDeviceIds(this.devices()));
  protected readonly rangeSel = computed(() =>
    resolveRange({ range: this.range(), from: this.from(), to: this.to() }, this.anchor()),
  );

  /** names and metrics of the devices (small: the series come in one request below) */
  protected readonly info = resource({
    params: () => ({ ids: this.ids() }),
    loader: ({ params: p }) => Promise.all(p.ids.map((id) => this.devicesClient.device(id))),
  });
  protected readonly metrics = computed(() =>
    this.info.hasValue() ? metricOptions(this.info.value().map((d) => d.metrics.map((m) => m.metric))) : [],
  );
  protected readonly chosen = computed(() =>
    this.info.hasValue()
      ? pickMetric(
          this.info.value().map((d) => d.metrics.map((m) => m.metric)),
          this.metric(),
        )
      : null,
  );

  protected readonly data = resource({
    params: () => {
      const metric = this.chosen();
      if (!metric) return undefined;
      const r = this.rangeSel();
      return { keys: this.ids().map((deviceId) => ({ deviceId, metric })), from: r.from, to: r.to };
    },
    loader: ({ params: p }) =>
      this.readings.series(p.keys, {
        from: p.from,
        to: p.to,
        maxPoints: this.maxPoints,
        tz: this.timeZone,
      }),
  });

  private readonly names = computed(
    () => new Map((this.info.hasValue() ? this.info.value() : []).map((d) => [d.id, displayName(d)])),
  );
  protected readonly title = computed(() => {
    const m = this.chosen();
    return m ? this.catalog.labelWithUnit(m) : 'devices';
  });

  protected readonly option = computed(() => {
    const metric = this.chosen();
    const r = this.rangeSel();
    const info: { unit?: string; decimals?: number } = metric ? this.catalog.info(metric) : {};
    const series = (this.data.hasValue() ? this.data.value() : []).map((s) => ({
      // the chart keys its lines by `metric`: here each line is a device
      metric: s.deviceId,
      label: this.names().get(s.deviceId) ?? s.deviceId,
      unit: info.unit,
      decimals: info.decimals,
      points: s.points,
      downsampled: false,
    }));
    return buildChartOption({ series, from: r.from, to: r.to, timeZone: this.timeZone });
  });

  /** the text alternative of the chart: per device its colour, min, max, mean and last value */
  protected readonly legend = computed(() => {
    const metric = this.chosen();
    const { unit, decimals }: { unit?: string; decimals?: number } = metric ? this.catalog.info(metric) : {};
    const fmt = (v: number) => formatMeasure(v, unit, decimals);
    return (this.data.hasValue() ? this.data.value() : []).map((s, i) => {
      const st = seriesStats(s.points);
      return {
        id: s.deviceId,
        name: this.names().get(s.deviceId) ?? s.deviceId,
        color: this.palette()[i % PALETTE_SIZE],
        cells: st ? [fmt(st.min), fmt(st.max), fmt(st.avg), fmt(st.last)] : null,
      };
    });
  });

  protected readonly error = computed(() => {
    const e = this.info.error() ?? this.data.error();
    return e ? errorMessage(e) : null;
  });

  protected setQuery(params: Record<string, string | null>): void {
    void this.router.navigate([], { queryParams: params, queryParamsHandling: 'merge', replaceUrl: true });
  }

  protected setRange(key: string): void {
    this.setQuery({ range: key, from: null, to: null });
  }

  constructor() {
    prefetchECharts();
    void this.catalog.load();
    effect((onCleanup) => {
      if (!this.onWall()) return;
      const timer = setInterval(() => this.anchor.set(Date.now()), KIOSK_REFRESH_MS);
      onCleanup(() => clearInterval(timer));
    });
  }

  protected retry(): void {
    this.info.reload();
    this.data.reload();
  }
}
