import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { ChartTable } from './chart-table';

/** A chart's data as a table (its text alternative; copy-paste takes it as rows), with its marks in words. */
@Component({
  selector: 'sh-chart-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './chart-table.component.html',
  styleUrl: './chart-table.component.css',
})
export class ChartTableComponent {
  readonly table = input.required<ChartTable>();
  readonly caption = input('');
  readonly height = input(300);
}
