import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { Role } from './core/api.types';
import { AlertsState } from './core/alerts-state';
import { AuthService } from './core/auth.service';
import { Connectivity } from './core/connectivity';
import { inKiosk } from './core/kiosk.guard';
import { LiveStream } from './core/live-stream';
import { chooseColorScheme, colorScheme } from './core/theme';
import { ConnectionBannerComponent } from './shared/connection-banner.component';

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
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ConnectionBannerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.component.html',
  styleUrl: './app.component.css',
})
export class AppComponent {
  protected readonly auth = inject(AuthService);
  private readonly live = inject(LiveStream);
  private readonly connectivity = inject(Connectivity);
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

  /** signed in, past the login page: the connection notice applies */
  protected readonly inApp = computed(() => this.auth.isLoggedIn() && !this.url().startsWith('/login'));
  /** a wall screen (`?kiosk=1`): the page alone, no top bar */
  protected readonly kiosk = computed(() => inKiosk(this.url(), this.router));
  protected readonly showChrome = computed(() => this.inApp() && !this.kiosk());
  protected readonly nav = computed(() => NAV.filter((n) => this.auth.can(n.role)));
  /** dark mode: the system's scheme until the user toggles it (kept for the next visits) */
  protected readonly dark = computed(() => colorScheme() === 'dark');
  protected toggleScheme(): void {
    chooseColorScheme(this.dark() ? 'light' : 'dark');
  }
  /** the live stream's state, or 'lost' while the api cannot be reached (what the page shows is then stale) */
  protected readonly liveState = computed(() =>
    this.connectivity.lostAt() !== null ? 'lost' : this.live.status(),
  );
  protected readonly liveLabel = computed(
    () =>
      ({
        off: 'Offline',
        connecting: 'Connecting',
        open: 'Live',
        retrying: 'Reconnecting',
        lost: 'No connection',
      })[this.liveState()],
  );
}
