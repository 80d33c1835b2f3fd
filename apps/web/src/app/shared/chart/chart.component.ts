import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';

import { afterNextFrame } from '../../core/frames';
import { ChartTurns } from './chart-turns';
import { chartInk, tokenColor } from './palette';

/**
 * Starts fetching ECharts (the lazy chunk the first chart needs) now, in parallel with a chart page's data, rather
 * than after the data arrived and the first chart asked for it. Call in a chart page's constructor (injection context).
 * `after`: not before it holds and the page has been painted since — the page's main content (its largest paint,
 * which Lighthouse times) first, with nothing else to fetch meanwhile; the library then, still beside the charts' data.
 */
export function prefetchECharts(after?: () => boolean): void {
  const turns = inject(ChartTurns);
  if (!after) return turns.prefetch();
  const ref = afterRenderEffect(() => {
    if (!after()) return;
    ref.destroy();
    // after the frame that shows it: a render is not yet a paint, and the chunk may land (and run) before it
    afterNextFrame(() => turns.prefetch());
  });
}

export interface ZoomWindow {
  start: number;
  end: number;
}

/**
 * The one wrapper around ngx-echarts: sizing, loading overlay, drag-to-select zoom reported as a time window
 * (debounced), and a crosshair and zoom shared with the other charts of its `group`. The host says
 * `data-state="ready"` once the current options are drawn (tests and bench:web wait for it). A page's first chart
 * draws before the others (ChartTurns); until its turn a chart holds its place with an empty box of its height.
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
  /** the options drag-to-select was last switched on for */
  private selectFor: EChartsCoreOption | null = null;
  /** the options ECharts last finished drawing */
  private readonly drawn = signal<EChartsCoreOption | null>(null);
  protected readonly state = computed(() =>
    !this.loading() && this.drawn() === this.options() ? 'ready' : 'loading',
  );

  /** its turn to draw came (ChartTurns): the ECharts element exists */
  protected readonly drawing = signal(false);
  private readonly leaveTurn: () => void;

  constructor() {
    this.leaveTurn = inject(ChartTurns).enter(() => this.drawing.set(true));
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.timer);
      this.leaveTurn();
    });
  }

  onInit(chart: ECharts): void {
    this.chart = chart;
    const group = this.group();
    if (group) {
      chart.group = group;
      void import('./echarts-setup').then((m) => m.echarts.connect(group));
    }
  }

  onFinished(): void {
    if (this.drawn() === this.options()) return;
    this.drawn.set(this.options());
    this.leaveTurn();
  }

  /**
   * The pointer came over the chart: drag-to-select zoom on, for what is drawn, before a drag can start. Switched on
   * at each drawing instead, it cost every chart a second drawing (ECharts updates the whole chart for it).
   */
  onPointerEnter(): void {
    const drawn = this.drawn();
    if (!this.chart || !drawn || this.selectFor === drawn) return;
    this.selectFor = drawn;
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
    // escapeConnect (in the payload: ECharts reads it there): connect would pass the action to every chart of the
    // group, each drawing itself again
    this.chart?.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'dataZoomSelect',
      dataZoomSelectActive: true,
      escapeConnect: true,
    });
  }
}
