import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';

import { ApiClient } from './api-client';
import { LoginResult, Role, User, hasRole } from './api.types';

export interface Session {
  token: string;
  /** epoch ms */
  expiresAt: number;
  user: User;
}

export const SESSION_KEY = 'sensorhub.session';
/** renew this long before the access token expires */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Owns the token lifecycle: login, persistence across reloads, renewal before expiry, and the way back to the
 * login page (remembering where the user was) when the session ends.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);

  private readonly session = signal<Session | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;

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
   * Tries to renew the access token (once at a time, however many requests fail together).
   * Resolves false when the session is over.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.api
      .refresh()
      .then((r) => {
        if (!r) return false;
        this.start(r);
        return true;
      })
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

  /** Renews shortly before expiry; if that fails, ends the session at expiry. */
  private schedule(s: Session): void {
    clearTimeout(this.timer);
    const inMs = s.expiresAt - Date.now();
    const renewIn = Math.max(0, inMs - REFRESH_MARGIN_MS);
    this.timer = setTimeout(async () => {
      if (this.session() !== s) return;
      if (await this.refresh()) return;
      if (this.session() !== s) return;
      this.timer = setTimeout(
        () => this.session() === s && this.expire(),
        Math.max(0, s.expiresAt - Date.now()),
      );
    }, renewIn);
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
