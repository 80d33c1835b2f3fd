import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';

import { AlertsState } from '../../core/alerts-state';
import { AlertsClient } from '../../core/alerts-client';
import { errorMessage } from '../../core/errors';
import { AlertItem, AlertSeverity, AlertState } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { formatMeasure } from '../../core/format';
import { MetricCatalog } from '../../core/metric-catalog';
import { StateComponent } from '../../shared/state.component';
import { TimePipe } from '../../shared/time.pipe';

const PAGE = 50;

@Component({
  selector: 'sh-alerts-page',
  imports: [FormsModule, StateComponent, TimePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alerts.page.html',
  styleUrl: './alerts.page.css',
})
export class AlertsPage {
  private readonly api = inject(AlertsClient);
  private readonly auth = inject(AuthService);
  private readonly alerts = inject(AlertsState);
  private readonly catalog = inject(MetricCatalog);

  protected readonly pageSize = PAGE;
  protected readonly state = signal<AlertState | ''>('');
  protected readonly severity = signal<AlertSeverity | ''>('');
  protected readonly deviceId = signal('');
  protected readonly offset = signal(0);
  protected readonly acking = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly message = signal<{ kind: 'error' | 'success'; text: string } | null>(null);
  protected readonly canAck = computed(() => this.auth.can('operator'));
  protected note = '';

  protected readonly page = resource({
    params: () => ({
      state: this.state() || undefined,
      severity: this.severity() || undefined,
      deviceId: this.deviceId() || undefined,
      offset: this.offset(),
      changes: this.alerts.changes(),
    }),
    loader: ({ params }) => this.api.alerts({ ...params, limit: PAGE }),
  });

  constructor() {
    void this.catalog.load();
  }

  /** the metric by its catalog name and the value with its unit and decimals ("Temperature 31.5 °C") */
  protected valueOf(a: AlertItem): string {
    const { unit, decimals } = this.catalog.info(a.metric);
    return `${this.catalog.label(a.metric)} ${a.value === null ? '—' : formatMeasure(a.value, unit, decimals)}`;
  }

  protected errMsg(e: unknown): string {
    return errorMessage(e);
  }

  protected async ack(a: AlertItem): Promise<void> {
    this.busy.set(true);
    try {
      await this.api.acknowledgeAlert(a.id, this.note.trim());
      this.acking.set(null);
      this.message.set({
        kind: 'success',
        text: `Acknowledged ${a.ruleName} on ${a.deviceName || a.deviceId}.`,
      });
      this.page.reload();
    } catch (e) {
      this.message.set({ kind: 'error', text: errorMessage(e) });
    } finally {
      this.busy.set(false);
    }
  }
}
