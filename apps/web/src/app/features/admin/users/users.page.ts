import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { AdminClient } from '../../../core/admin-client';
import { errorMessage } from '../../../core/errors';
import { Role, User } from '../../../core/api.types';
import { AuthService } from '../../../core/auth.service';
import { StateComponent } from '../../../shared/state.component';
import { ROLES, UsersTableComponent } from './users-table.component';

@Component({
  selector: 'sh-users-page',
  imports: [FormsModule, StateComponent, UsersTableComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users.page.html',
  styleUrl: './users.page.css',
})
export class UsersPage {
  private readonly api = inject(AdminClient);
  protected readonly errMsg = errorMessage;
  private readonly auth = inject(AuthService);

  protected readonly roles = ROLES;
  protected readonly users = resource({ loader: () => this.api.users() });
  protected readonly meId = computed(() => this.auth.user()?.id);
  protected readonly busy = signal(false);
  protected readonly message = signal<{ kind: 'error' | 'success'; text: string } | null>(null);
  protected email = '';
  protected password = '';
  protected role: Role = 'viewer';

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
      this.message.set({ kind: 'error', text: errorMessage(e) });
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
      this.message.set({ kind: 'error', text: errorMessage(e) });
      this.users.reload();
    }
  }
}
