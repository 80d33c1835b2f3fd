import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';

import { SessionClient } from './session-client';
import { LoginResult, Role, User, hasRole } from './api.types';

export interface Session {
  token: string;
  /** epoch ms */
  expiresAt: number;
  user: User;
}

export const SESSION_KEY = 'sensorhub.session';
/** renew this long before the access token expires, at most a third of its lifetime (30 s: every 20 s) */
const REFRESH_MARGIN_MS = 60_000;
/** while the server cannot answer a renewal, try again after this long, doubling up to the cap */
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30_000;

/** renewed; the session is over (the refresh cookie was refused); or the server could not answer now */
export type RefreshOutcome = 'renewed' | 'ended' | 'unreachable';

/**
 * Owns the token lifecycle: login, persistence across reloads, renewal before expiry, and the way back to the
 * login page (remembering where the user was) when the session ends.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(SessionClient);
  private readonly router = inject(Router);

  private readonly session = signal<Session | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<RefreshOutcome> | null = null;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly role = computed<Role | null>(() => this.session()?.user.role ?? null);
  readonly isLoggedIn = computed(() => this.session() !== null);

  constructor() {
    this.restore();
  }

  /** The bearer token, or null when there is no live session. */
  token(): string | null {
    const s = this.session();
    if (!s) return null;
    return s.expiresAt > Date.now() ? s.token : null;
  }

  can(role: Role): boolean {
    return hasRole(this.role(), role);
  }

  async login(email: string, password: string): Promise<User> {
    const result = await this.api.login(email.trim(), password);
    this.start(result);
    return result.user;
  }

  async logout(): Promise<void> {
    const had = this.session() !== null;
    this.clear();
    if (had) await this.api.logout();
    await this.router.navigate(['/login']);
  }

  /**
   * Tries to renew the access token (once at a time, however many requests fail together). An unreachable server
   * (or a 429) leaves the session alone: it is renewed when the server answers again.
   */
  refresh(): Promise<RefreshOutcome> {
    this.refreshing ??= this.api
      .refresh()
      .then((r): RefreshOutcome => {
        if (!r) return 'ended';
        this.start(r);
        return 'renewed';
      })
      .catch((): RefreshOutcome => 'unreachable')
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** The session ended underneath the user: back to login, coming back to `returnUrl` afterwards. */
  expire(returnUrl = this.router.url): void {
    this.clear();
    const onLogin = returnUrl.startsWith('/login');
    void this.router.navigate(['/login'], {
      queryParams: onLogin ? { reason: 'expired' } : { returnUrl, reason: 'expired' },
    });
  }

  private start(r: LoginResult): void {
    const s: Session = { token: r.accessToken, expiresAt: Date.now() + r.expiresIn * 1000, user: r.user };
    this.session.set(s);
    try {
      localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    } catch {
      /* storage may be disabled: the session then lasts for this page only */
    }
    this.schedule(s);
  }

  private restore(): void {
    let s: Session | null = null;
    try {
      s = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    } catch {
      s = null;
    }
    if (s && typeof s.token === 'string' && s.expiresAt > Date.now()) {
      this.session.set(s);
      this.schedule(s);
    } else if (s) {
      localStorage.removeItem(SESSION_KEY);
    }
  }

  /**
   * Renews ahead of expiry (so a page in use keeps its session, and its refresh cookie slides); while the server cannot
   * answer, retries with backoff; once the refresh cookie is refused, ends the session at expiry.
   */
  private schedule(s: Session): void {
    clearTimeout(this.timer);
    const inMs = s.expiresAt - Date.now();
    this.timer = setTimeout(
      () => void this.renew(s, RETRY_MIN_MS),
      inMs - Math.min(REFRESH_MARGIN_MS, inMs / 3),
    );
  }

  private async renew(s: Session, retryMs: number): Promise<void> {
    if (this.session() !== s) return;
    const outcome = await this.refresh();
    if (outcome === 'renewed' || this.session() !== s) return;
    if (outcome === 'unreachable') {
      this.timer = setTimeout(() => void this.renew(s, Math.min(RETRY_MAX_MS, retryMs * 2)), retryMs);
      return;
    }
    this.timer = setTimeout(
      () => this.session() === s && this.expire(),
      Math.max(0, s.expiresAt - Date.now()),
    );
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.session.set(null);
    try {
      localStorage.removeItem(SESSION_KEY);
    } catch {
      /* ignore */
    }
  }
}
