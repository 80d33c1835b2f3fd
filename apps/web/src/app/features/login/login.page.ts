import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';

import { errorMessage, isApiError } from '../../core/errors';
import { AuthService } from '../../core/auth.service';

@Component({
  selector: 'sh-login-page',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.page.html',
  styleUrl: './login.page.css',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly errorBox = viewChild<ElementRef<HTMLElement>>('errorBox');

  /** where to go after signing in (query param) */
  readonly returnUrl = input<string>();
  readonly reason = input<string>();

  protected email = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  async submit(): Promise<void> {
    if (!this.email || !this.password) {
      this.showError('Enter your email and password.');
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
      this.showError(
        isApiError(e) && (e.statusCode === 401 || e.statusCode === 403)
          ? 'Email or password is not correct, or the account is disabled.'
          : isApiError(e) && e.statusCode === 429
            ? 'Too many attempts. Wait a minute and try again.'
            : isApiError(e) && e.statusCode === 0
              ? 'The server cannot be reached. Check your connection and try again.'
              : `Sign-in failed: ${errorMessage(e)}`,
      );
    } finally {
      this.busy.set(false);
    }
  }

  /** The error, focused: the disabled fields had dropped the focus to <body>; a screen reader reads it out. */
  private showError(message: string): void {
    this.error.set(message);
    afterNextRender(() => this.errorBox()?.nativeElement.focus(), { injector: this.injector });
  }
}
