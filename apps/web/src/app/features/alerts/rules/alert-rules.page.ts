import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import { AlertRulesClient } from '../../../core/alert-rules-client';
import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { AlertRule } from '../../../core/api.types';
import { AuthService } from '../../../core/auth.service';
import { StateComponent } from '../../../shared/state.component';
import { RuleEditorComponent } from './rule-editor.component';

/** Alert rules: the list (enable/disable, delete) and the editor; operators write, viewers read. */
@Component({
  selector: 'sh-alert-rules-page',
  imports: [RouterLink, StateComponent, RuleEditorComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alert-rules.page.html',
  styleUrl: './alert-rules.page.css',
})
export class AlertRulesPage {
  private readonly api = inject(DevicesClient);
  private readonly rulesApi = inject(AlertRulesClient);
  private readonly auth = inject(AuthService);

  protected readonly canEdit = computed(() => this.auth.can('operator'));
  /** the rule open in the editor: 'new', a rule, or none */
  protected readonly editing = signal<AlertRule | 'new' | null>(null);
  protected readonly editingList = computed(() => (this.editing() ? [this.editing()!] : []));
  protected readonly message = signal<{ kind: 'error' | 'success'; text: string } | null>(null);
  protected readonly busy = signal<string | null>(null);

  protected readonly rules = resource({ loader: () => this.rulesApi.alertRules() });
  protected readonly deviceIds = resource({
    loader: async () => (await this.api.devicesPage({ limit: 200, offset: 0 })).items.map((d) => d.id),
    defaultValue: [],
  });

  protected errMsg(e: unknown): string {
    return errorMessage(e);
  }

  protected describe(r: AlertRule): string {
    const clear =
      r.clearThreshold !== undefined && r.clearThreshold !== r.threshold
        ? `, clears past ${r.clearThreshold}`
        : '';
    const cond =
      r.condition === 'outside'
        ? `outside ${r.threshold} – ${r.thresholdHigh}`
        : r.condition === 'no_data'
          ? `no data for ${r.noDataSeconds} s`
          : r.condition === 'rate'
            ? `changes by more than ${r.threshold}/min`
            : `${r.condition} ${r.threshold}${clear}`;
    return `${r.metric} ${cond}${r.durationSeconds ? ` for ${r.durationSeconds} s` : ''}`;
  }

  protected scopeOf(r: AlertRule): string {
    return r.scope === 'device'
      ? r.scopeDeviceId!
      : r.scope === 'metadata'
        ? `${r.scopeKey} = ${r.scopeValue}`
        : 'all devices';
  }

  protected onSaved(r: AlertRule): void {
    this.editing.set(null);
    this.message.set({ kind: 'success', text: `Saved rule “${r.name}”.` });
    this.rules.reload();
  }

  protected async toggle(r: AlertRule): Promise<void> {
    await this.run(r, async () => {
      await this.rulesApi.updateAlertRule(r.id, { enabled: !r.enabled });
      return `${r.enabled ? 'Disabled' : 'Enabled'} rule “${r.name}”.`;
    });
  }

  protected async remove(r: AlertRule): Promise<void> {
    if (!confirm(`Delete rule “${r.name}” and its alerts?`)) return;
    await this.run(r, async () => {
      await this.rulesApi.deleteAlertRule(r.id);
      if (this.editing() !== 'new' && (this.editing() as AlertRule | null)?.id === r.id)
        this.editing.set(null);
      return `Deleted rule “${r.name}”.`;
    });
  }

  private async run(r: AlertRule, act: () => Promise<string>): Promise<void> {
    this.busy.set(r.id);
    try {
      this.message.set({ kind: 'success', text: await act() });
      this.rules.reload();
    } catch (e) {
      this.message.set({ kind: 'error', text: errorMessage(e) });
    } finally {
      this.busy.set(null);
    }
  }
}
