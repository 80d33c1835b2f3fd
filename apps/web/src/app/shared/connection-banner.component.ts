import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { Connectivity } from '../core/connectivity';
import { formatClock } from '../core/format';

/** While the api cannot be reached: says since when, that what is shown may be out of date, and that it retries. */
@Component({
  selector: 'sh-connection-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './connection-banner.component.html',
  styleUrl: './connection-banner.component.css',
})
export class ConnectionBannerComponent {
  private readonly connectivity = inject(Connectivity);
  protected readonly since = computed(() => {
    const t = this.connectivity.lostAt();
    return t === null ? null : formatClock(t, undefined, true);
  });
}
