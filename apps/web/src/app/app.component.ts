import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { Role } from './core/api.types';
import { AlertsState } from './core/alerts-state';
import { AuthService } from './core/auth.service';
import { LiveStream } from './core/live-stream';

interface NavItem {
  path: string;
  label: string;
  role: Role;
}

const NAV: NavItem[] = [
  { path: '/devices', label: 'Devices', role: 'viewer' },
  { path: '/alerts', label: 'Alerts', role: 'viewer' },
  { path: '/dead-letters', label: 'Dead letters', role: 'operator' },
  { path: '/admin/users', label: 'Users', role: 'admin' },
  { path: '/admin/api-keys', label: 'API keys', role: 'admin' },
];

@Component({
  selector: 'sh-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (showChrome()) {
      <header class="topbar">
        <a class="brand" routerLink="/devices" aria-label="SensorHub home">
          <svg viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" />
            <path d="M5 20h5l3-9 5 14 3-8h6" />
          </svg>
          <span>SensorHub</span>
        </a>
        <nav class="nav" aria-label="Main">
          @for (item of nav(); track item.path) {
            <a [routerLink]="item.path" routerLinkActive="active" [attr.data-nav]="item.path"
              >{{ item.label }}
              @if (item.path === '/alerts' && firingCount()) {
                <span class="badge" [class]="worstSeverity()" data-testid="alert-badge">{{
                  firingCount()
                }}</span>
              }
            </a>
          }
        </nav>
        <div class="spacer"></div>
        @if (live.status() !== 'off') {
          <span
            class="live"
            [class]="live.status()"
            [title]="'Live updates: ' + liveLabel()"
            data-testid="live"
          >
            <span class="dot"></span><span class="live-label">{{ liveLabel() }}</span>
          </span>
        }
        <div class="me">
          <span class="email">{{ auth.user()?.email }}</span>
          <span class="role-badge" data-testid="role">{{ auth.role() }}</span>
          <button type="button" class="btn ghost small" (click)="auth.logout()">Sign out</button>
        </div>
      </header>
    }
    <main [class.bare]="!showChrome()">
      <router-outlet />
    </main>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
    }
    .topbar {
      position: sticky;
      top: 0;
      z-index: 10;
      display: flex;
      align-items: center;
      gap: 20px;
      flex-wrap: wrap;
      padding: 0 20px;
      min-height: 56px;
      background: #0b1f33;
      color: #e8eef6;
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 8px;
      color: #fff;
      text-decoration: none;
      font-weight: 650;
      font-size: 16px;
    }
    .brand svg {
      width: 26px;
      height: 26px;
    }
    .brand rect {
      fill: #2b88d8;
    }
    .brand path {
      fill: none;
      stroke: #fff;
      stroke-width: 2.6;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    .nav {
      display: flex;
      gap: 4px;
      overflow-x: auto;
    }
    .nav a {
      color: #b9c7d8;
      text-decoration: none;
      padding: 8px 12px;
      border-radius: 6px;
      font-size: 14px;
      white-space: nowrap;
    }
    .nav a:hover {
      color: #fff;
      background: rgba(255, 255, 255, 0.06);
    }
    .nav a.active {
      color: #fff;
      background: rgba(255, 255, 255, 0.12);
    }
    .spacer {
      flex: 1;
    }
    .badge {
      display: inline-block;
      min-width: 18px;
      margin-left: 4px;
      padding: 0 6px;
      border-radius: 999px;
      font-size: 11px;
      font-weight: 650;
      line-height: 18px;
      text-align: center;
      background: #2b88d8;
      color: #fff;
    }
    .badge.critical {
      background: #d92d20;
    }
    .badge.warning {
      background: #f79009;
    }
    .live {
      display: flex;
      align-items: center;
      gap: 6px;
      font-size: 12px;
      color: #9fb0c4;
    }
    .live .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: #6b7c90;
    }
    .live.open .dot {
      background: #3ccf6e;
      box-shadow: 0 0 0 3px rgba(60, 207, 110, 0.18);
    }
    .live.retrying .dot,
    .live.connecting .dot {
      background: #f0b429;
    }
    .me {
      display: flex;
      align-items: center;
      gap: 10px;
      font-size: 13px;
    }
    .email {
      color: #d5dfeb;
      max-width: 22ch;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .role-badge {
      text-transform: capitalize;
      font-size: 11px;
      padding: 2px 8px;
      border-radius: 999px;
      background: rgba(255, 255, 255, 0.12);
    }
    .btn.ghost {
      color: #e8eef6;
      border-color: rgba(255, 255, 255, 0.25);
      background: transparent;
    }
    .btn.ghost:hover {
      background: rgba(255, 255, 255, 0.08);
    }
    main {
      flex: 1;
      width: 100%;
      max-width: 1280px;
      margin: 0 auto;
      padding: 24px 20px 48px;
    }
    main.bare {
      max-width: none;
      padding: 0;
      display: flex;
    }
    @media (max-width: 640px) {
      .topbar {
        gap: 8px 12px;
        padding: 8px 12px;
      }
      .nav {
        order: 3;
        width: 100%;
      }
      .email,
      .live-label {
        display: none;
      }
      main {
        padding: 16px 12px 40px;
      }
    }
  `,
})
export class AppComponent {
  protected readonly auth = inject(AuthService);
  protected readonly live = inject(LiveStream);
  private readonly alerts = inject(AlertsState);
  protected readonly firingCount = computed(() => this.alerts.firing().length);
  protected readonly worstSeverity = computed(() => {
    const sev = this.alerts.firing().map((a) => a.severity);
    return sev.includes('critical') ? 'critical' : sev.includes('warning') ? 'warning' : 'info';
  });
  private readonly router = inject(Router);

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((e) => e instanceof NavigationEnd),
      map((e) => e.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );

  protected readonly showChrome = computed(() => this.auth.isLoggedIn() && !this.url().startsWith('/login'));
  protected readonly nav = computed(() => NAV.filter((n) => this.auth.can(n.role)));
  protected readonly liveLabel = computed(
    () =>
      ({ off: 'Offline', connecting: 'Connecting', open: 'Live', retrying: 'Reconnecting' })[
        this.live.status()
      ],
  );
}
