import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** The designed empty / loading / error panel used by every page. */
@Component({
  selector: 'sh-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './state.component.html',
  styleUrl: './state.component.css',
})
export class StateComponent {
  readonly kind = input<'loading' | 'empty' | 'error'>('empty');
  readonly title = input('');
  readonly message = input<string | null>(null);
  readonly action = input<string | null>(null);
  readonly act = output<void>();
}
