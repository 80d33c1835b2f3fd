import { ChangeDetectionStrategy, Component, inject, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { ApiClient, errorMessage } from '../../core/api-client';
import { ApiKey, CreatedApiKey } from '../../core/api.types';
import { StateComponent } from '../../shared/state.component';

@Component({
  selector: 'sh-api-keys-page',
  imports: [FormsModule, StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <div>
        <h1>API keys</h1>
        <div class="sub">
          For integrations: send the key as the <code>X-API-Key</code> header. A key is shown once, when it is
          created.
        </div>
      </div>
    </div>

    <form class="panel create" (ngSubmit)="create()" data-testid="create-key">
      <label class="field grow"
        >Name
        <input
          type="text"
          name="name"
          [(ngModel)]="name"
          required
          maxlength="100"
          placeholder="e.g. billing export"
      /></label>
      <label class="field grow"
        >Devices
        <input
          type="text"
          name="devices"
          [(ngModel)]="devices"
          maxlength="2000"
          placeholder="all — or ids/patterns: greenhouse-*, weather-2"
          data-testid="key-devices"
      /></label>
      <fieldset class="scopes">
        <legend>Scopes</legend>
        <label><input type="checkbox" name="read" [(ngModel)]="read" /> read</label>
        <label><input type="checkbox" name="write" [(ngModel)]="write" /> write</label>
      </fieldset>
      <button type="submit" class="btn primary" [disabled]="busy()">Create key</button>
    </form>

    @if (created(); as k) {
      <div class="panel once" role="status" data-testid="new-key">
        <div>
          <b>{{ k.name }}</b>: copy this key now. It will not be shown again.
        </div>
        <div class="keyrow">
          <code class="key">{{ k.key }}</code>
          <button type="button" class="btn small" (click)="copy(k.key)">
            {{ copied() ? 'Copied' : 'Copy' }}
          </button>
          <button type="button" class="btn small" (click)="created.set(null)">Done</button>
        </div>
      </div>
    }
    @if (error(); as e) {
      <div class="alert error" role="alert">{{ e }}</div>
    }

    <section class="panel">
      @if (keys.error(); as e) {
        <sh-state
          kind="error"
          title="Keys could not be loaded"
          [message]="errMsg(e)"
          action="Try again"
          (act)="keys.reload()"
        />
      } @else if (!keys.hasValue()) {
        <sh-state kind="loading" title="Loading keys…" />
      } @else if (!keys.value().length) {
        <sh-state
          kind="empty"
          title="No API keys yet"
          message="Create one above for each integration, so each can be revoked on its own."
        />
      } @else {
        <div class="table-wrap">
          <table class="data" data-testid="keys-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scopes</th>
                <th>Devices</th>
                <th>Created</th>
                <th>Last used</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              @for (k of keys.value(); track k.id) {
                <tr [class.revoked]="k.revokedAt" [attr.data-key]="k.name">
                  <td>{{ k.name }}</td>
                  <td>
                    <code>{{ k.prefix }}…</code>
                  </td>
                  <td>{{ k.scopes.join(', ') }}</td>
                  <td data-testid="key-device-scopes">{{ k.devices ? k.devices.join(', ') : 'all' }}</td>
                  <td class="muted">{{ date(k.createdAt) }}</td>
                  <td class="muted">{{ date(k.lastUsedAt) }}</td>
                  <td class="actions">
                    @if (k.revokedAt) {
                      <span class="badge offline">Revoked</span>
                    } @else if (confirming() === k.id) {
                      <button type="button" class="btn small danger" (click)="revoke(k)">Revoke now</button>
                      <button type="button" class="btn small" (click)="confirming.set(null)">Keep</button>
                    } @else {
                      <button type="button" class="btn small danger" (click)="confirming.set(k.id)">
                        Revoke
                      </button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .create {
      display: flex;
      gap: 14px;
      align-items: flex-end;
      flex-wrap: wrap;
      padding: 14px 16px;
      margin-bottom: 14px;
    }
    .grow {
      flex: 1 1 220px;
    }
    .scopes {
      border: 0;
      padding: 0;
      margin: 0;
      display: flex;
      gap: 12px;
      align-items: center;
      font-size: 14px;
    }
    .scopes legend {
      font-size: 13px;
      font-weight: 550;
      color: var(--muted);
      padding: 0;
      margin-bottom: 4px;
    }
    .scopes label {
      display: inline-flex;
      gap: 5px;
      align-items: center;
    }
    .once {
      padding: 14px 16px;
      margin-bottom: 14px;
      border-color: #c4e6c6;
      background: #f3fbf4;
      display: flex;
      flex-direction: column;
      gap: 10px;
    }
    .keyrow {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    .key {
      flex: 1 1 260px;
      padding: 8px 10px;
      background: #fff;
      border: 1px solid var(--border);
      border-radius: 6px;
      word-break: break-all;
      font-size: 13px;
    }
    tr.revoked td {
      color: var(--muted);
    }
    .actions {
      text-align: right;
      white-space: nowrap;
    }
    .actions .btn + .btn {
      margin-left: 6px;
    }
  `,
})
export class ApiKeysPage {
  private readonly api = inject(ApiClient);
  protected readonly errMsg = errorMessage;

  protected readonly keys = resource({ loader: () => this.api.apiKeys() });
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly copied = signal(false);
  protected readonly confirming = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected name = '';
  protected read = true;
  protected write = false;
  /** comma-separated device ids or `*` patterns; empty: every device */
  protected devices = '';

  protected date(s: string | null): string {
    return s ? new Date(s).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
  }

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
      this.copied.set(false);
      this.keys.update((list) => [{ ...k, key: undefined } as unknown as ApiKey, ...(list ?? [])]);
      this.name = '';
      this.devices = '';
    } catch (e) {
      this.error.set((e as Error).message);
    } finally {
      this.busy.set(false);
    }
  }

  async revoke(k: ApiKey): Promise<void> {
    this.confirming.set(null);
    try {
      await this.api.revokeApiKey(k.id);
      this.keys.update((list) =>
        (list ?? []).map((x) => (x.id === k.id ? { ...x, revokedAt: new Date().toISOString() } : x)),
      );
    } catch (e) {
      this.error.set((e as Error).message);
    }
  }

  async copy(text: string): Promise<void> {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    this.copied.set(true);
  }
}
