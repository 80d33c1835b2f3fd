import { Injectable, effect, inject, signal, untracked } from '@angular/core';

import { AlertsClient } from './alerts-client';
import { AlertItem, LiveAlert } from './api.types';
import { AuthService } from './auth.service';
import { LiveStream } from './live-stream';

/**
 * The firing alerts the whole app shows (top-bar badge, device cards), kept current by the live stream's `alert`
 * events: each one refetches the firing list (small: only open alerts), so the count never drifts.
 */
@Injectable({ providedIn: 'root' })
export class AlertsState {
  private readonly api = inject(AlertsClient);
  private readonly auth = inject(AuthService);
  private readonly live = inject(LiveStream);
  private stop?: () => void;
  private pending?: ReturnType<typeof setTimeout>;

  readonly firing = signal<AlertItem[]>([]);
  /** bumped on every alert event, for pages that show more than the firing list */
  readonly changes = signal(0);

  constructor() {
    effect(() => {
      const loggedIn = this.auth.isLoggedIn();
      untracked(() => {
        this.stop?.();
        this.stop = undefined;
        if (!loggedIn) return this.firing.set([]);
        this.stop = this.live.listen({ alert: (a) => this.onAlert(a) });
        void this.refresh();
      });
    });
  }

  async refresh(): Promise<void> {
    try {
      const page = await this.api.alerts({ state: 'firing', limit: 500, offset: 0 });
      this.firing.set(page.items);
    } catch {
      // the badge keeps its last value; the alerts page shows errors
    }
  }

  private onAlert(_: LiveAlert): void {
    this.changes.update((n) => n + 1);
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refresh(), 100);
  }
}
