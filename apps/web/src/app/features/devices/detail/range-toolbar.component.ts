import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { PRESETS, PresetKey, ResolvedRange, fromLocalInput, toLocalInput } from '../range';

export type ChartLayout = 'split' | 'overlay';

/** Range presets and a custom range, the charts' layout and CSV export; the page keeps the choice in the URL. */
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
  readonly preset = output<PresetKey>();
  /** a custom range, epoch ms */
  readonly custom = output<{ from: number; to: number }>();
  readonly layoutChange = output<ChartLayout>();
  readonly export = output<void>();

  protected readonly presets = PRESETS;
  protected readonly customOpen = signal(false);
  protected customFrom = '';
  protected customTo = '';
  protected readonly customError = signal<string | null>(null);

  protected setPreset(key: PresetKey): void {
    this.customOpen.set(false);
    this.preset.emit(key);
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
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
      this.customError.set('"From" must be before "To".');
      return;
    }
    this.customOpen.set(false);
    this.custom.emit({ from, to });
  }
}
