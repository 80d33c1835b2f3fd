import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { AdminClient } from '../../../core/admin-client';
import { errorMessage } from '../../../core/errors';
import { Role, User } from '../../../core/api.types';
import { formatDate } from '../../../core/format';

export const ROLES: Role[] = ['viewer', 'operator', 'admin'];

/** The users with their role and status, and each row's inline password reset. */
@Component({
  selector: 'sh-users-table',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users-table.component.html',
  styleUrl: './users-table.component.css',
})
export class UsersTableComponent {
  private readonly api = inject(AdminClient);

  readonly users = input.required<User[]>();
  /** the signed-in admin, who may not change their own role or disable themselves */
  readonly meId = input<string>();
  readonly roleChange = output<{ user: User; role: Role }>();
  readonly toggle = output<User>();

  protected readonly roles = ROLES;

  // password reset: one user's inline form at a time
  protected readonly resetFor = signal<string | null>(null);
  protected readonly resetBusy = signal(false);
  protected readonly resetError = signal<string | null>(null);
  protected readonly resetDone = signal<string | null>(null);
  protected newPassword = '';

  protected date(s?: string): string {
    return s ? formatDate(Date.parse(s)) : '—';
  }

  protected openReset(u: User): void {
    this.newPassword = '';
    this.resetError.set(null);
    this.resetDone.set(null);
    this.resetFor.set(this.resetFor() === u.id ? null : u.id);
  }

  /** The API checks the password rules; its message is shown as is. */
  protected async resetPassword(u: User): Promise<void> {
    this.resetBusy.set(true);
    this.resetError.set(null);
    try {
      await this.api.resetPassword(u.id, this.newPassword);
      this.newPassword = '';
      this.resetFor.set(null);
      this.resetDone.set(u.id);
    } catch (e) {
      this.resetError.set(errorMessage(e));
    } finally {
      this.resetBusy.set(false);
    }
  }
}
