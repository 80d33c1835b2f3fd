import { ChangeDetectionStrategy, Component, computed, input, model, output, signal } from '@angular/core';

import { formatValue } from '../../../core/format';
import { ChartTableComponent } from '../../../shared/chart/chart-table.component';
import { ChartComponent, ZoomWindow } from '../../../shared/chart/chart.component';
import { ChartYOptions, buildChartOption, seriesName } from '../../../shared/chart/chart-option';
import { buildChartTable } from '../../../shared/chart/chart-table';
import { seriesStats } from '../../../shared/chart/chart-stats';
import { StateComponent } from '../../../shared/state.component';
import { ChartPanel } from './device-charts';
import { PanelAxes } from './y-axes';

/** A panel's view choices: table instead of chart, the axis form open. */
interface PanelSettings {
  table?: boolean;
  axisOpen?: boolean;
}

/**
 * The device's charts side by side (one per metric, or overlays), each with its title, resolution note, legend
 * statistics for the shown window, a data-table view and its own y-axis choices (`axes`, which the page keeps in the
 * URL). The charts share crosshair and zoom.
 */
@Component({
  selector: 'sh-chart-grid',
  imports: [ChartComponent, ChartTableComponent, StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './chart-grid.component.html',
  styleUrl: './chart-grid.component.css',
})
export class ChartGridComponent {
  readonly charts = input.required<ChartPanel[]>();
  readonly height = input(300);
  readonly loading = input(false);
  /** the range's readings are in: an empty chart says so instead of showing a spinner */
  readonly settled = input(true);
  /** charts of one group (the device) share crosshair and zoom */
  readonly group = input<string | null>(null);
  readonly zoomed = output<ZoomWindow | null>();
  /** each panel's y limits, log scale and band, by panel key */
  readonly axes = model<PanelAxes>({});

  private readonly settings = signal<Record<string, PanelSettings>>({});

  protected readonly views = computed(() => {
    const all = this.settings();
    const axes = this.axes();
    return this.charts().map((c) => {
      const s = all[c.key] ?? {};
      const y = axes[c.key] ?? {};
      const win = c.input.zoom ?? { start: c.input.from, end: Infinity };
      const positive = c.input.series.every((x) => x.points.every((p) => p.min > 0));
      return {
        ...c,
        settings: s,
        y,
        positive,
        // limits in the wrong order are refused (the form says so): the axis stays fitted
        option: buildChartOption({
          ...c.input,
          y: {
            ...y,
            ...(this.limitError(y) ? { min: null, max: null } : {}),
            log: positive && !!y.log,
          },
        }),
        table: s.table
          ? buildChartTable(c.input.series, {
              timeZone: c.input.timeZone,
              window: c.input.zoom,
              thresholds: c.input.thresholds,
              alerts: c.input.alerts,
            })
          : null,
        stats: c.input.series.map((x) => ({
          name: seriesName(x),
          color: x.color,
          stats: seriesStats(x.points, win.start, win.end),
          fmt: (v: number) => formatValue(v, x.decimals),
        })),
      };
    });
  });

  protected toggleTable(key: string): void {
    this.patch(key, (s) => ({ ...s, table: !s.table }));
  }

  protected toggleAxis(key: string): void {
    this.patch(key, (s) => ({ ...s, axisOpen: !s.axisOpen }));
  }

  /** a y limit from its input: blank fits the axis to the data again */
  protected setLimit(key: string, which: 'min' | 'max', text: string): void {
    const v = text.trim() === '' ? null : Number(text);
    if (v !== null && !Number.isFinite(v)) return;
    this.setAxis(key, { [which]: v });
  }

  protected setFlag(key: string, which: 'log' | 'band', on: boolean): void {
    this.setAxis(key, { [which]: on });
  }

  private setAxis(key: string, change: ChartYOptions): void {
    this.axes.update((all) => ({ ...all, [key]: { ...all[key], ...change } }));
  }

  protected limitError(y: ChartYOptions | undefined): string | null {
    return y && y.min != null && y.max != null && y.min >= y.max
      ? 'The minimum must be below the maximum.'
      : null;
  }

  private patch(key: string, fn: (s: PanelSettings) => PanelSettings): void {
    this.settings.update((all) => ({ ...all, [key]: fn(all[key] ?? {}) }));
  }
}
