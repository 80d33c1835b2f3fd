import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { ApiClient } from '../../core/api-client';
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
          [message]="$any(e).message"
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
    }
    select {
      text-transform: capitalize;
    }
  `,
})
export class UsersPage {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthService);

  protected readonly roles: Role[] = ['viewer', 'operator', 'admin'];
  protected readonly users = resource({ loader: () => this.api.users() });
  protected readonly meId = computed(() => this.auth.user()?.id);
  protected readonly busy = signal(false);
  protected readonly message = signal<{ kind: 'error' | 'success'; text: string } | null>(null);
  protected email = '';
  protected password = '';
  protected role: Role = 'viewer';

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
