import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { ApiClient, errorMessage } from '../../core/api-client';
import { Role, User } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { StateComponent } from '../../shared/state.component';

@Component({
  selector: 'sh-users-page',
  imports: [FormsModule, StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <div>
        <h1>Users</h1>
        <div class="sub">
          Who can sign in, and what they may do: viewers read, operators also edit devices, admins manage
          users and keys.
        </div>
      </div>
    </div>

    <form class="panel create" (ngSubmit)="create()" data-testid="create-user">
      <label class="field"
        >Email <input type="email" name="email" [(ngModel)]="email" required autocomplete="off"
      /></label>
      <label class="field"
        >Initial password
        <input
          type="password"
          name="password"
          [(ngModel)]="password"
          required
          minlength="12"
          autocomplete="new-password"
          placeholder="at least 12 characters"
      /></label>
      <label class="field"
        >Role
        <select name="role" [(ngModel)]="role">
          @for (r of roles; track r) {
            <option [value]="r">{{ r }}</option>
          }
        </select>
      </label>
      <button type="submit" class="btn primary" [disabled]="busy()">Add user</button>
    </form>
    @if (message(); as m) {
      <div class="alert" [class]="m.kind" role="status">{{ m.text }}</div>
    }

    <section class="panel">
      @if (users.error(); as e) {
        <sh-state
          kind="error"
          title="Users could not be loaded"
          [message]="errMsg(e)"
          action="Try again"
          (act)="users.reload()"
        />
      } @else if (!users.hasValue()) {
        <sh-state kind="loading" title="Loading users…" />
      } @else if (!users.value().length) {
        <sh-state kind="empty" title="No users" />
      } @else {
        <div class="table-wrap">
          <table class="data" data-testid="users-table">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Status</th>
                <th>Created</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              @for (u of users.value(); track u.id) {
                <tr [class.disabled]="u.disabled" [attr.data-user]="u.email">
                  <td>
                    {{ u.email }}
                    @if (u.id === meId()) {
                      <span class="badge">you</span>
                    }
                  </td>
                  <td>
                    <select
                      [ngModel]="u.role"
                      (ngModelChange)="setRole(u, $event)"
                      [disabled]="u.id === meId()"
                      [attr.aria-label]="'Role of ' + u.email"
                    >
                      @for (r of roles; track r) {
                        <option [value]="r">{{ r }}</option>
                      }
                    </select>
                  </td>
                  <td>
                    @if (u.disabled) {
                      <span class="badge offline">Disabled</span>
                    } @else {
                      <span class="badge online">Active</span>
                    }
                  </td>
                  <td class="muted">{{ date(u.createdAt) }}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="btn small"
                      [attr.aria-expanded]="resetFor() === u.id"
                      (click)="openReset(u)"
                    >
                      Reset password
                    </button>
                    @if (u.id !== meId()) {
                      <button
                        type="button"
                        class="btn small"
                        [class.danger]="!u.disabled"
                        (click)="toggle(u)"
                      >
                        {{ u.disabled ? 'Enable' : 'Disable' }}
                      </button>
                    }
                  </td>
                </tr>
                @if (resetFor() === u.id) {
                  <tr class="reset-row" [attr.data-reset]="u.email">
                    <td colspan="5">
                      <div class="reset-box">
                        <form class="reset" (ngSubmit)="resetPassword(u)">
                          <label class="field"
                            >New password
                            <input
                              type="password"
                              name="newPassword"
                              [attr.aria-label]="'New password for ' + u.email"
                              [(ngModel)]="newPassword"
                              autocomplete="new-password"
                              placeholder="at least 12 characters"
                          /></label>
                          <button type="submit" class="btn small primary" [disabled]="resetBusy()">
                            {{ resetBusy() ? 'Saving…' : 'Set password' }}
                          </button>
                          <button type="button" class="btn small" (click)="resetFor.set(null)">Cancel</button>
                        </form>
                        @if (resetError(); as e) {
                          <div class="alert error" role="alert">{{ e }}</div>
                        }
                      </div>
                    </td>
                  </tr>
                } @else if (resetDone() === u.id) {
                  <tr class="reset-row" [attr.data-reset]="u.email">
                    <td colspan="5">
                      <div class="reset-box">
                        <div class="alert success" role="status">
                          Password changed: {{ u.email }} signs in with the new one from now on.
                        </div>
                      </div>
                    </td>
                  </tr>
                }
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
      gap: 12px;
      align-items: flex-end;
      flex-wrap: wrap;
      padding: 14px 16px;
      margin-bottom: 14px;
    }
    .create .field {
      flex: 1 1 180px;
    }
    .create .field:nth-child(3) {
      flex: 0 0 140px;
    }
    tr.disabled td:first-child {
      color: var(--muted);
    }
    .actions {
      text-align: right;
      white-space: nowrap;
    }
    .actions .btn + .btn {
      margin-left: 6px;
    }
    tr:has(+ .reset-row) td {
      border-bottom: 0;
    }
    .reset-row td {
      background: #fafbfc;
      padding-top: 4px;
    }
    .reset {
      display: flex;
      gap: 8px;
      align-items: flex-end;
      flex-wrap: wrap;
    }
    .reset .field {
      flex: 0 1 320px;
    }
    .reset-row .alert {
      margin: 10px 0 0;
    }
    /* the table scrolls sideways on a phone: the form stays in view at its left edge */
    .reset-box {
      position: sticky;
      left: 16px;
      width: min(100%, calc(100vw - 74px), 640px);
    }
    select {
      text-transform: capitalize;
    }
  `,
})
export class UsersPage {
  private readonly api = inject(ApiClient);
  protected readonly errMsg = errorMessage;
  private readonly auth = inject(AuthService);

  protected readonly roles: Role[] = ['viewer', 'operator', 'admin'];
  protected readonly users = resource({ loader: () => this.api.users() });
  protected readonly meId = computed(() => this.auth.user()?.id);
  protected readonly busy = signal(false);
  protected readonly message = signal<{ kind: 'error' | 'success'; text: string } | null>(null);
  protected email = '';
  protected password = '';
  protected role: Role = 'viewer';

  // password reset: one user's inline form at a time
  protected readonly resetFor = signal<string | null>(null);
  protected readonly resetBusy = signal(false);
  protected readonly resetError = signal<string | null>(null);
  protected readonly resetDone = signal<string | null>(null);
  protected newPassword = '';

  protected date(s?: string): string {
    return s ? new Date(s).toLocaleDateString() : '—';
  }

  async create(): Promise<void> {
    if (this.password.length < 12) {
      this.message.set({ kind: 'error', text: 'The password needs at least 12 characters.' });
      return;
    }
    this.busy.set(true);
    try {
      const u = await this.api.createUser({
        email: this.email.trim(),
        password: this.password,
        role: this.role,
      });
      this.users.update((list) => [...(list ?? []), u]);
      this.message.set({ kind: 'success', text: `${u.email} can now sign in as ${u.role}.` });
      this.email = '';
      this.password = '';
    } catch (e) {
      this.message.set({ kind: 'error', text: (e as Error).message });
    } finally {
      this.busy.set(false);
    }
  }

  protected openReset(u: User): void {
    this.newPassword = '';
    this.resetError.set(null);
    this.resetDone.set(null);
    this.resetFor.set(this.resetFor() === u.id ? null : u.id);
  }

  /** The API checks the password rules; its message is shown as is. */
  async resetPassword(u: User): Promise<void> {
    this.resetBusy.set(true);
    this.resetError.set(null);
    try {
      await this.api.resetPassword(u.id, this.newPassword);
      this.newPassword = '';
      this.resetFor.set(null);
      this.resetDone.set(u.id);
    } catch (e) {
      this.resetError.set((e as Error).message);
    } finally {
      this.resetBusy.set(false);
    }
  }

  async setRole(u: User, role: Role): Promise<void> {
    await this.patch(u, { role });
  }

  async toggle(u: User): Promise<void> {
    await this.patch(u, { disabled: !u.disabled });
  }

  private async patch(u: User, p: { role?: Role; disabled?: boolean }): Promise<void> {
    try {
      const updated = await this.api.updateUser(u.id, p);
      this.users.update((list) => (list ?? []).map((x) => (x.id === u.id ? { ...x, ...updated } : x)));
      this.message.set(null);
    } catch (e) {
      this.message.set({ kind: 'error', text: (e as Error).message });
      this.users.reload();
    }
  }
}
