import { ChangeDetectionStrategy, Component, inject, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { AdminClient } from '../../../core/admin-client';
import { errorMessage } from '../../../core/errors';
import { ApiKey, CreatedApiKey } from '../../../core/api.types';
import { StateComponent } from '../../../shared/state.component';
import { ApiKeysTableComponent } from './api-keys-table.component';
import { NewApiKeyComponent } from './new-api-key.component';

@Component({
  selector: 'sh-api-keys-page',
  imports: [FormsModule, StateComponent, ApiKeysTableComponent, NewApiKeyComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './api-keys.page.html',
  styleUrl: './api-keys.page.css',
})
export class ApiKeysPage {
  private readonly api = inject(AdminClient);
  protected readonly errMsg = errorMessage;

  protected readonly keys = resource({ loader: () => this.api.apiKeys() });
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected name = '';
  protected read = true;
  protected write = false;
  /** comma-separated device ids or `*` patterns; empty: every device */
  protected devices = '';

  async create(): Promise<void> {
    const scopes = [...(this.read ? ['read'] : []), ...(this.write ? ['write'] : [])];
    if (!this.name.trim() || !scopes.length) {
      this.error.set('Give the key a name and at least one scope.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      const devices = this.devices
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean);
      const k = await this.api.createApiKey({
        name: this.name.trim(),
        scopes,
        ...(devices.length ? { devices } : {}),
      });
      this.created.set(k);
      this.keys.update((list) => [{ ...k, key: undefined } as unknown as ApiKey, ...(list ?? [])]);
      this.name = '';
      this.devices = '';
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }

  async revoke(k: ApiKey): Promise<void> {
    try {
      await this.api.revokeApiKey(k.id);
      this.keys.update((list) =>
        (list ?? []).map((x) => (x.id === k.id ? { ...x, revokedAt: new Date().toISOString() } : x)),
      );
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }
}
