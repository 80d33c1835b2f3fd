import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';

import { AlertsState } from '../../core/alerts-state';
import { ApiClient, errorMessage } from '../../core/api-client';
import { AlertItem, AlertSeverity, AlertState } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { StateComponent } from '../../shared/state.component';

const PAGE = 50;

@Component({
  selector: 'sh-alerts-page',
  imports: [FormsModule, StateComponent, DatePipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <div>
        <h1>Alerts</h1>
        <div class="sub">Firing first, then pending, then resolved; the most severe on top. Live.</div>
      </div>
    </div>

    <div class="panel filters">
      <label class="field"
        >State
        <select
          name="state"
          [ngModel]="state()"
          (ngModelChange)="state.set($event); offset.set(0)"
          data-testid="filter-state"
        >
          <option value="">any</option>
          <option value="firing">firing</option>
          <option value="pending">pending</option>
          <option value="resolved">resolved</option>
        </select>
      </label>
      <label class="field"
        >Severity
        <select name="severity" [ngModel]="severity()" (ngModelChange)="severity.set($event); offset.set(0)">
          <option value="">any</option>
          <option value="critical">critical</option>
          <option value="warning">warning</option>
          <option value="info">info</option>
        </select>
      </label>
      <label class="field"
        >Device
        <input
          name="device"
          [ngModel]="deviceId()"
          (ngModelChange)="deviceId.set($event.trim()); offset.set(0)"
          placeholder="device id"
      /></label>
    </div>
    @if (message(); as m) {
      <div class="alert" [class]="m.kind" role="status">{{ m.text }}</div>
    }

    <section class="panel">
      @if (page.error(); as e) {
        <sh-state
          kind="error"
          title="Alerts could not be loaded"
          [message]="errMsg(e)"
          action="Try again"
          (act)="page.reload()"
        />
      } @else if (!page.hasValue()) {
        <sh-state kind="loading" title="Loading alerts…" />
      } @else if (!page.value().items.length) {
        <sh-state kind="empty" title="No alerts" message="Nothing matches these filters." />
      } @else {
        <div class="table-wrap">
          <table class="data" data-testid="alerts-table">
            <thead>
              <tr>
                <th>Severity</th>
                <th>State</th>
                <th>Rule</th>
                <th>Device</th>
                <th>Value</th>
                <th>Since</th>
                <th>Acknowledged</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              @for (a of page.value().items; track a.id) {
                <tr [attr.data-alert]="a.id" [attr.data-state]="a.state" [attr.data-rule]="a.ruleName">
                  <td>
                    <span class="sev" [class]="a.severity">{{ a.severity }}</span>
                  </td>
                  <td>
                    <span class="state-tag" [class]="a.state">{{ a.state }}</span>
                  </td>
                  <td>{{ a.ruleName }}</td>
                  <td>
                    <a [routerLink]="['/devices', a.deviceId]">{{ a.deviceId }}</a>
                  </td>
                  <td>{{ a.metric }} {{ a.value ?? '—' }}</td>
                  <td>{{ a.firedAt ?? a.startedAt | date: 'MMM d, HH:mm:ss' }}</td>
                  <td>
                    @if (a.acknowledgedAt) {
                      <span data-testid="acked">{{ a.acknowledgedByEmail }}</span>
                      @if (a.ackNote) {
                        <div class="note">“{{ a.ackNote }}”</div>
                      }
                    } @else {
                      —
                    }
                  </td>
                  <td class="actions">
                    @if (canAck() && !a.acknowledgedAt && a.state !== 'resolved') {
                      @if (acking() === a.id) {
                        <form (ngSubmit)="ack(a)" class="ack">
                          <input
                            name="note"
                            [(ngModel)]="note"
                            placeholder="note (optional)"
                            data-testid="ack-note"
                          />
                          <button class="btn primary small" type="submit" [disabled]="busy()">
                            Acknowledge
                          </button>
                          <button class="btn small" type="button" (click)="acking.set(null)">Cancel</button>
                        </form>
                      } @else {
                        <button
                          class="btn small"
                          type="button"
                          (click)="acking.set(a.id); note = ''"
                          data-testid="ack"
                        >
                          Acknowledge…
                        </button>
                      }
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <div class="pager">
          <span
            >{{ offset() + 1 }}–{{ offset() + page.value().items.length }} of {{ page.value().total }}</span
          >
          <button class="btn small" [disabled]="offset() === 0" (click)="offset.set(offset() - pageSize)">
            Previous
          </button>
          <button
            class="btn small"
            [disabled]="offset() + pageSize >= page.value().total"
            (click)="offset.set(offset() + pageSize)"
          >
            Next
          </button>
        </div>
      }
    </section>
  `,
  styles: `
    .filters {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
      padding: 12px 16px;
      margin-bottom: 16px;
    }
    .sev,
    .state-tag {
      display: inline-block;
      padding: 2px 8px;
      border-radius: 999px;
      font-size: 12px;
      text-transform: capitalize;
      background: #e8eef6;
      color: #33475b;
    }
    .sev.critical {
      background: #fde2e1;
      color: #b42318;
    }
    .sev.warning {
      background: #fef0c7;
      color: #93370d;
    }
    .sev.info {
      background: #e0efff;
      color: #175cd3;
    }
    .state-tag.firing {
      background: #b42318;
      color: #fff;
    }
    .state-tag.pending {
      background: #f79009;
      color: #fff;
    }
    .note {
      font-size: 12px;
      color: #5b6b7c;
    }
    .ack {
      display: flex;
      gap: 6px;
    }
    .pager {
      display: flex;
      gap: 8px;
      align-items: center;
      justify-content: flex-end;
      padding: 12px 16px;
      font-size: 13px;
    }
  `,
})
export class AlertsPage {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthService);
  private readonly alerts = inject(AlertsState);

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

  protected errMsg(e: unknown): string {
    return errorMessage(e);
  }

  protected async ack(a: AlertItem): Promise<void> {
    this.busy.set(true);
    try {
      await this.api.acknowledgeAlert(a.id, this.note.trim());
      this.acking.set(null);
      this.message.set({ kind: 'success', text: `Acknowledged ${a.ruleName} on ${a.deviceId}.` });
      this.page.reload();
    } catch (e) {
      this.message.set({ kind: 'error', text: errorMessage(e) });
    } finally {
      this.busy.set(false);
    }
  }
}
