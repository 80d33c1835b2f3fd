import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

import { ApiKey } from '../../../core/api.types';
import { formatTime } from '../../../core/format';

/** The API keys, each revocable after a confirmation in its row. */
@Component({
  selector: 'sh-api-keys-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './api-keys-table.component.html',
  styleUrl: './api-keys-table.component.css',
})
export class ApiKeysTableComponent {
  readonly keys = input.required<ApiKey[]>();
  readonly revoke = output<ApiKey>();

  protected readonly confirming = signal<string | null>(null);

  protected revokeNow(k: ApiKey): void {
    this.confirming.set(null);
    this.revoke.emit(k);
  }

  protected date(s: string | null): string {
    return s ? formatTime(Date.parse(s), undefined, false) : '—';
  }
}
