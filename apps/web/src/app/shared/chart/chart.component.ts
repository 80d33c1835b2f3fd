import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  input,
  output,
} from '@angular/core';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';

export interface ZoomWindow {
  start: number;
  end: number;
}

/**
 * The one wrapper around ngx-echarts: sizing, loading overlay, and dataZoom reported as a time window (debounced).
 * The ECharts instance is also exposed on the host element (`__shChart`) so browser tests can read the drawn data.
 */
@Component({
  selector: 'sh-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div
    echarts
    class="chart"
    [style.height.px]="height()"
    [options]="options()"
    [loading]="loading()"
    [loadingOpts]="{ text: '', color: '#0f6cbd', maskColor: 'rgba(255,255,255,.6)' }"
    (chartInit)="onInit($event)"
    (chartDataZoom)="onZoom()"
  ></div>`,
  styles: `
    :host {
      display: block;
      min-width: 0;
    }
    .chart {
      width: 100%;
    }
  `,
})
export class ChartComponent {
  readonly options = input.required<EChartsCoreOption>();
  readonly height = input(300);
  readonly loading = input(false);
  /** the visible time window after the user zooms or pans; null when back to the full range */
  readonly zoomed = output<ZoomWindow | null>();

  private readonly host = inject(ElementRef<HTMLElement>);
  private chart: ECharts | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  onInit(chart: ECharts): void {
    this.chart = chart;
    (this.host.nativeElement as unknown as { __shChart: ECharts }).__shChart = chart;
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
}
