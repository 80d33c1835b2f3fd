import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';

import { AlertRulesClient } from '../../../core/alert-rules-client';
import { errorMessage } from '../../../core/errors';
import { AlertRule, AlertRuleDraft } from '../../../core/api.types';
import { MetricCatalog } from '../../../core/metric-catalog';
import { RulePreviewComponent } from './rule-preview.component';
import { RuleFields, draftOf, fieldErrors, fieldsOf } from './rule-form';

/** Creates or edits one alert rule (read-only for viewers), with the preview of the draft on its metric's chart. */
@Component({
  selector: 'sh-rule-editor',
  imports: [FormsModule, RulePreviewComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rule-editor.component.html',
  styleUrl: './rule-editor.component.css',
})
export class RuleEditorComponent implements OnInit {
  private readonly rulesApi = inject(AlertRulesClient);
  protected readonly catalog = inject(MetricCatalog);

  /** the rule to edit; null for a new one */
  readonly rule = input<AlertRule | null>(null);
  readonly readonly = input(false);
  /** device ids offered for the device scope and the preview */
  readonly devices = input<string[]>([]);
  readonly saved = output<AlertRule>();
  readonly closed = output<void>();

  protected f: RuleFields = fieldsOf(null);
  protected readonly errors = signal<Record<string, string>>({});
  protected readonly message = signal<string | null>(null);
  protected readonly busy = signal(false);
  /** the draft the preview replays: set by "Preview", so typing does not replay on every key */
  protected readonly previewDraft = signal<AlertRuleDraft | null>(null);
  protected readonly title = computed(() =>
    this.readonly() ? 'Alert rule' : this.rule() ? `Edit rule “${this.rule()!.name}”` : 'New alert rule',
  );

  constructor() {
    void this.catalog.load();
  }

  ngOnInit(): void {
    this.f = fieldsOf(this.rule());
  }

  protected addAction(type: 'mqtt' | 'webhook' | 'script'): void {
    this.f.actions = [...this.f.actions, { type, topic: '', payload: '', url: '', path: '' }];
  }

  protected removeAction(i: number): void {
    this.f.actions = this.f.actions.filter((_, j) => j !== i);
  }

  protected preview(): void {
    this.errors.set({});
    this.message.set(null);
    this.previewDraft.set(draftOf(this.f));
  }

  protected async save(): Promise<void> {
    this.busy.set(true);
    this.errors.set({});
    this.message.set(null);
    try {
      const draft = draftOf(this.f);
      const cur = this.rule();
      this.saved.emit(
        cur ? await this.rulesApi.updateAlertRule(cur.id, draft) : await this.rulesApi.createAlertRule(draft),
      );
    } catch (e) {
      this.showError(e);
    } finally {
      this.busy.set(false);
    }
  }

  /** A 400 with field details shows each message at its field; anything else as one line. */
  protected showError(e: unknown): void {
    const byField = fieldErrors(e);
    this.errors.set(byField);
    this.message.set(Object.keys(byField).length ? 'Please correct the marked fields.' : errorMessage(e));
  }
}
