import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import { ChartComponent, ZoomWindow } from '../../../shared/chart/chart.component';
import { StateComponent } from '../../../shared/state.component';
import { ChartPanel } from './device-charts';

/** The device's charts side by side (one per metric, or one overlay), each with its title and resolution note. */
@Component({
  selector: 'sh-chart-grid',
  imports: [ChartComponent, StateComponent],
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
  readonly zoomed = output<ZoomWindow | null>();
}
