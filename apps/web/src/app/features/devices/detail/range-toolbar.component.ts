import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { QUICK_RANGES, REFRESH_CHOICES, ResolvedRange, fromLocalInput, toLocalInput } from '../range';

export type ChartLayout = 'split' | 'overlay';

/**
 * The time picker (quick relative ranges, an absolute range, shift ←/→, zoom out, auto-refresh), the charts'
 * layout and CSV export; the page keeps every choice in the URL.
 */
@Component({
  selector: 'sh-range-toolbar',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './range-toolbar.component.html',
  styleUrl: './range-toolbar.component.css',
})
export class RangeToolbarComponent {
  readonly range = input.required<ResolvedRange>();
  readonly layout = input<ChartLayout>('split');
  /** more than one metric: the layout choice is offered */
  readonly multi = input(false);
  readonly exporting = input(false);
  readonly canExport = input(false);
  /** the auto-refresh choice (`off`, `10s`, …) */
  readonly refresh = input('off');
  /** a relative range (`now-7d`) */
  readonly relative = output<string>();
  /** an absolute range, epoch ms */
  readonly custom = output<{ from: number; to: number }>();
  readonly shift = output<-1 | 1>();
  readonly zoomOut = output<void>();
  readonly refreshChange = output<string>();
  readonly layoutChange = output<ChartLayout>();
  readonly export = output<void>();

  protected readonly quick = QUICK_RANGES;
  protected readonly refreshChoices = REFRESH_CHOICES;
  protected readonly customOpen = signal(false);
  protected customFrom = '';
  protected customTo = '';
  protected readonly customError = signal<string | null>(null);

  protected setRelative(key: string): void {
    this.customOpen.set(false);
    this.relative.emit(key);
  }

  protected openCustom(): void {
    const r = this.range();
    this.customFrom = toLocalInput(r.from);
    this.customTo = toLocalInput(r.to);
    this.customError.set(null);
    this.customOpen.set(!this.customOpen());
  }

  protected applyCustom(): void {
    const from = fromLocalInput(this.customFrom);
    const to = fromLocalInput(this.customTo);
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      this.customError.set('Enter both "From" and "To".');
      return;
    }
    if (from >= to) {
      this.customError.set('"From" must be before "To".');
      return;
    }
    this.customOpen.set(false);
    this.custom.emit({ from, to });
  }
}
