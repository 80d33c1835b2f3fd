import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NGX_ECHARTS_CONFIG, NgxEchartsDirective } from 'ngx-echarts';

/**
 * Starts fetching ECharts (the lazy chunk the first chart needs) now, in parallel with a chart page's data, rather
 * than after the data arrived and the first chart asked for it. Call in a chart page's constructor (injection context).
 */
export function prefetchECharts(): void {
  const { echarts } = inject(NGX_ECHARTS_CONFIG);
  // a function is the app's lazy import; tests provide the library itself
  if (typeof echarts === 'function') echarts().catch(() => undefined);
}

import { chartInk, tokenColor } from './palette';

export interface ZoomWindow {
  start: number;
  end: number;
}

/**
 * The one wrapper around ngx-echarts: sizing, loading overlay, drag-to-select zoom reported as a time window
 * (debounced), and a crosshair and zoom shared with the other charts of its `group`. The host says
 * `data-state="ready"` once the current options are drawn (tests and bench:web wait for it).
 */
@Component({
  selector: 'sh-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './chart.component.html',
  styleUrl: './chart.component.css',
  host: { '[attr.data-state]': 'state()' },
})
export class ChartComponent {
  readonly options = input.required<EChartsCoreOption>();
  readonly height = input(300);
  readonly loading = input(false);
  /** charts of one group share the crosshair and the zoom */
  readonly group = input<string | null>(null);
  /** the visible time window after the user zooms; null when back to the full range */
  readonly zoomed = output<ZoomWindow | null>();

  /** the loading veil in the page's scheme */
  protected readonly loadingOpts = computed(() => ({
    text: '',
    color: tokenColor('--accent') ?? '#0f6cbd',
    maskColor: chartInk().mask,
  }));
  private chart: ECharts | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** the options ECharts last finished drawing */
  private readonly drawn = signal<EChartsCoreOption | null>(null);
  protected readonly state = computed(() =>
    !this.loading() && this.drawn() === this.options() ? 'ready' : 'loading',
  );

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  onInit(chart: ECharts): void {
    this.chart = chart;
    const group = this.group();
    if (group) {
      chart.group = group;
      void import('./echarts-setup').then((m) => m.echarts.connect(group));
    }
    this.selectOnDrag();
  }

  onFinished(): void {
    if (this.drawn() === this.options()) return;
    this.drawn.set(this.options());
    // new options replace the toolbox: switch drag-to-select zoom on again
    this.selectOnDrag();
  }

  onZoom(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const dz = (
        this.chart?.getOption()['dataZoom'] as
          { start?: number; end?: number; startValue?: number; endValue?: number }[] | undefined
      )?.[0];
      if (!dz) return;
      const full = (dz.start ?? 0) <= 0.01 && (dz.end ?? 100) >= 99.99;
      this.zoomed.emit(
        full || dz.startValue === undefined || dz.endValue === undefined
          ? null
          : { start: dz.startValue, end: dz.endValue },
      );
    }, 250);
  }

  private selectOnDrag(): void {
    // escapeConnect: ECharts' connect would pass the action to every chart of the group, each drawing itself again
    // (a dozen connected charts: 66 extra draws on a page load, 132 on each live point). It rides in the payload, as
    // an action dispatched while a chart draws (this one, from 'finished') waits in ECharts' queue without its options.
    this.chart?.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'dataZoomSelect',
      dataZoomSelectActive: true,
      escapeConnect: true,
    });
  }
}
