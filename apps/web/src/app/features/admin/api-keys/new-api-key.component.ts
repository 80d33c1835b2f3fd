import { ChangeDetectionStrategy, Component, input, linkedSignal, output } from '@angular/core';

import { CreatedApiKey } from '../../../core/api.types';

/** A key just created: shown this once, with a copy button. */
@Component({
  selector: 'sh-new-api-key',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './new-api-key.component.html',
  styleUrl: './new-api-key.component.css',
})
export class NewApiKeyComponent {
  readonly key = input.required<CreatedApiKey>();
  readonly done = output<void>();

  /** back to "Copy" for every new key */
  protected readonly copied = linkedSignal({ source: this.key, computation: () => false });

  protected async copy(text: string): Promise<void> {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    this.copied.set(true);
  }
}
