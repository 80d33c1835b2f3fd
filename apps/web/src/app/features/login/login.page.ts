import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';

import { isApiError } from '../../core/api-client';
import { AuthService } from '../../core/auth.service';

@Component({
  selector: 'sh-login-page',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="wrap">
      <form class="card" (ngSubmit)="submit()" aria-labelledby="login-title">
        <div class="brand">
          <svg viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" />
            <path d="M5 20h5l3-9 5 14 3-8h6" />
          </svg>
          <span>SensorHub</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        <p class="muted lead">Telemetry from your sensor fleet.</p>
        @if (reason() === 'expired') {
          <div class="alert info" role="status">Your session has ended. Sign in again to continue.</div>
        }
        @if (error(); as e) {
          <div class="alert error" role="alert" data-testid="login-error">{{ e }}</div>
        }
        <label class="field"
          >Email
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            [(ngModel)]="email"
            [disabled]="busy()"
          />
        </label>
        <label class="field"
          >Password
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            [(ngModel)]="password"
            [disabled]="busy()"
          />
        </label>
        <button class="btn primary submit" type="submit" [disabled]="busy()">
          {{ busy() ? 'Signing in…' : 'Sign in' }}
        </button>
      </form>
    </div>
  `,
  styles: `
    :host {
      flex: 1;
      display: flex;
    }
    .wrap {
      flex: 1;
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 24px 16px;
      background: radial-gradient(1200px 600px at 10% -10%, #dbe9f8 0%, transparent 60%), var(--bg);
    }
    .card {
      width: 100%;
      max-width: 380px;
      display: flex;
      flex-direction: column;
      gap: 14px;
      padding: 32px 28px;
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 14px;
      box-shadow: 0 8px 28px rgba(16, 24, 40, 0.08);
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 8px;
      font-weight: 650;
      color: #0b1f33;
    }
    .brand svg {
      width: 28px;
      height: 28px;
    }
    .brand rect {
      fill: var(--accent);
    }
    .brand path {
      fill: none;
      stroke: #fff;
      stroke-width: 2.6;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    h1 {
      margin-top: 8px;
    }
    .lead {
      margin: -8px 0 4px;
      font-size: 14px;
    }
    .alert {
      margin: 0;
    }
    input {
      width: 100%;
    }
    .submit {
      margin-top: 6px;
      padding: 11px;
    }
  `,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  /** where to go after signing in (query param) */
  readonly returnUrl = input<string>();
  readonly reason = input<string>();

  protected email = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  async submit(): Promise<void> {
    if (!this.email || !this.password) {
      this.error.set('Enter your email and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login(this.email, this.password);
      const target = this.returnUrl();
      // only same-app paths: never an absolute URL from the query string
      await this.router.navigateByUrl(
        target && target.startsWith('/') && !target.startsWith('//') ? target : '/devices',
      );
    } catch (e) {
      this.error.set(
        isApiError(e) && (e.statusCode === 401 || e.statusCode === 403)
          ? 'Email or password is not correct, or the account is disabled.'
          : isApiError(e) && e.statusCode === 429
            ? 'Too many attempts. Wait a minute and try again.'
            : isApiError(e) && e.statusCode === 0
              ? 'The server cannot be reached. Check your connection and try again.'
              : 'Sign-in failed. Try again.',
      );
    } finally {
      this.busy.set(false);
    }
  }
}
