import { Provider } from '@angular/core';
import { provideEchartsCore } from 'ngx-echarts';

/**
 * ECharts as ngx-echarts drives it, without a canvas (jsdom has none): keeps the option it was given, answers
 * getOption(), and lets a test zoom as a user dragging the slider would.
 */
export class FakeEChart {
  option: Record<string, unknown> = {};
  loading = false;
  private disposed = false;
  private readonly handlers = new Map<string, (e: unknown) => void>();

  constructor(readonly dom: HTMLElement) {}

  setOption(option: Record<string, unknown>): void {
    this.option = option;
  }
  getOption(): Record<string, unknown> {
    return this.option;
  }
  on(event: string, handler: (e: unknown) => void): void {
    this.handlers.set(event, handler);
  }
  off(event: string): void {
    this.handlers.delete(event);
  }
  showLoading(): void {
    this.loading = true;
  }
  hideLoading(): void {
    this.loading = false;
  }
  resize(): void {}
  group = '';
  readonly actions: Record<string, unknown>[] = [];
  dispatchAction(action: Record<string, unknown>): void {
    this.actions.push(action);
  }
  dispose(): void {
    this.disposed = true;
  }
  isDisposed(): boolean {
    return this.disposed;
  }

  /** fires a chart event (`finished`, …) as ECharts does */
  emit(event: string): void {
    this.handlers.get(event)?.({});
  }

  /** the slider moved: ECharts updates its dataZoom state, then fires `datazoom` */
  zoom(dz: { start: number; end: number; startValue?: number; endValue?: number }): void {
    this.option = { ...this.option, dataZoom: [dz] };
    this.handlers.get('datazoom')?.({});
  }
}

/** Provides the fake to ngx-echarts; `charts` fills as charts are created. */
export function provideFakeECharts(): { provider: Provider; charts: FakeEChart[] } {
  const charts: FakeEChart[] = [];
  const init = (dom: HTMLElement) => {
    const c = new FakeEChart(dom);
    charts.push(c);
    return c;
  };
  return { provider: provideEchartsCore({ echarts: { init } as never }), charts };
}
