import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  resource,
  signal,
} from '@angular/core';

import { AlertRulesClient } from '../../../core/alert-rules-client';
import { ReadingsClient } from '../../../core/readings-client';
import { AlertRuleDraft, RulePreview } from '../../../core/api.types';
import { MetricCatalog } from '../../../core/metric-catalog';
import { ChartThreshold, spansOf } from '../../../shared/chart/chart-marks';
import { formatNumber, formatTime } from '../../../core/format';
import { ChartOptionInput, buildChartOption } from '../../../shared/chart/chart-option';
import { buildChartTable } from '../../../shared/chart/chart-table';
import { ChartTableComponent } from '../../../shared/chart/chart-table.component';
import { ChartComponent } from '../../../shared/chart/chart.component';

const RANGES = [
  { label: '1 h', ms: 3_600_000 },
  { label: '24 h', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
];

/**
 * Replays a draft rule over a past range (POST /alert-rules/preview) and draws one device's series with the
 * thresholds, the clear thresholds and the spans the rule would have fired, pinned where it fired and resolved.
 */
@Component({
  selector: 'sh-rule-preview',
  imports: [ChartComponent, ChartTableComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="preview" data-testid="preview">
      <div class="bar">
        <strong>Preview</strong>
        <div class="segmented" role="group" aria-label="Replay range">
          @for (r of ranges; track r.ms) {
            <button type="button" [attr.aria-pressed]="span() === r.ms" (click)="span.set(r.ms)">
              {{ r.label }}
            </button>
          }
        </div>
        @if (result.hasValue() && result.value().preview.devices.length > 1) {
          <select aria-label="Device" (change)="device.set($any($event.target).value)">
            @for (d of result.value().preview.devices; track d.deviceId) {
              <option [value]="d.deviceId" [selected]="d.deviceId === shown()">{{ d.deviceId }}</option>
            }
          </select>
        }
      </div>
      @if (result.isLoading()) {
        <p class="muted">Replaying…</p>
      } @else if (result.hasValue()) {
        <p class="summary" data-testid="preview-summary">{{ summary() }}</p>
        @if (option(); as o) {
          <div [attr.data-chart]="draft().metric">
            <button
              type="button"
              class="btn small"
              [attr.aria-pressed]="showTable()"
              (click)="showTable.set(!showTable())"
              data-testid="table-toggle"
            >
              {{ showTable() ? 'Chart' : 'Table' }}
            </button>
            @if (table(); as t) {
              <sh-chart-table [table]="t" [caption]="'Preview of ' + draft().metric" [height]="260" />
            } @else {
              <sh-chart
                [options]="o"
                [height]="260"
                role="img"
                aria-label="Preview chart; the Table button shows its data"
              />
            }
          </div>
          <ul class="moments">
            @for (t of transitions(); track $index) {
              <li [class]="t.kind">{{ t.kind }} {{ fmt(t.at) }} at {{ t.value ?? '—' }}</li>
            }
          </ul>
        }
      }
    </section>
  `,
  styles: `
    .preview {
      padding: 12px 16px;
      border-top: 1px solid var(--border-subtle);
    }
    .bar {
      display: flex;
      gap: 12px;
      align-items: center;
      flex-wrap: wrap;
    }
    .summary {
      font-size: 14px;
    }
    .moments {
      font-size: 13px;
      color: var(--muted);
      columns: 2;
      padding-left: 18px;
    }
    .moments .firing {
      color: var(--critical);
    }
    .moments .resolved {
      color: var(--ok-text);
    }
  `,
})
export class RulePreviewComponent {
  private readonly api = inject(ReadingsClient);
  private readonly rulesApi = inject(AlertRulesClient);
  private readonly catalog = inject(MetricCatalog);
  readonly draft = input.required<AlertRuleDraft>();
  readonly devices = input<string[]>([]);
  /** the preview's failure (a 400 names the fields the editor marks) */
  readonly failed = output<unknown>();

  protected readonly ranges = RANGES;
  protected readonly span = signal(RANGES[1].ms);
  protected readonly device = signal<string | null>(null);

  protected readonly result = resource({
    params: () => ({ draft: this.draft(), span: this.span() }),
    loader: async ({ params: { draft, span } }) => {
      const to = Date.now();
      try {
        return { preview: await this.rulesApi.previewAlertRule(draft, to - span, to) };
      } catch (e) {
        this.failed.emit(e);
        throw e;
      }
    },
  });

  /** the device drawn: the chosen one, else the first that would have fired, else the first replayed */
  protected readonly shown = computed(() => {
    if (!this.result.hasValue()) return null;
    const ds = this.result.value().preview.devices;
    const pick = this.device();
    return (
      ds.find((d) => d.deviceId === pick)?.deviceId ??
      ds.find((d) => d.transitions.length)?.deviceId ??
      ds[0]?.deviceId ??
      null
    );
  });

  private readonly series = resource({
    params: () => {
      const id = this.shown();
      if (!id || !this.result.hasValue()) return undefined;
      const p = this.result.value().preview;
      return { id, metric: this.draft().metric, from: p.from, to: p.to };
    },
    loader: ({ params: p }) =>
      this.api.readings(p.id, { metric: p.metric, from: p.from, to: p.to, maxPoints: 800 }),
  });

  protected readonly transitions = computed(() => {
    const id = this.shown();
    return this.result.hasValue()
      ? (this.result.value().preview.devices.find((d) => d.deviceId === id)?.transitions ?? [])
      : [];
  });

  protected readonly summary = computed(() => {
    const p: RulePreview = this.result.value()!.preview;
    const fired = p.devices.reduce((n, d) => n + d.transitions.filter((t) => t.kind === 'firing').length, 0);
    const devs = p.devices.filter((d) => d.transitions.length).length;
    const base = `${formatNumber(p.readings)} readings replayed: `;
    const what = fired
      ? `would have fired ${fired} time${fired === 1 ? '' : 's'} on ${devs} device${devs === 1 ? '' : 's'}`
      : 'would not have fired';
    return base + what + (p.truncated ? ' (range truncated: choose a shorter one)' : '') + '.';
  });

  protected readonly showTable = signal(false);
  protected readonly fmt = (t: number) => formatTime(t);
  protected readonly option = computed(() => {
    const c = this.chartInput();
    return c ? buildChartOption(c) : null;
  });
  protected readonly table = computed(() => {
    const c = this.chartInput();
    return c && this.showTable()
      ? buildChartTable(c.series, { thresholds: c.thresholds, alerts: c.alerts })
      : null;
  });

  protected readonly chartInput = computed((): ChartOptionInput | null => {
    if (!this.series.hasValue() || !this.result.hasValue()) return null;
    const s = this.series.value();
    const d = this.draft();
    const p = this.result.value().preview;
    const info = this.catalog.info(d.metric);
    return {
      series: [{ ...s, label: info.displayName, unit: info.unit, decimals: info.decimals }],
      from: p.from,
      to: p.to,
      thresholds: thresholdsOf(d),
      alerts: spansOf(this.transitions(), {
        metric: d.metric,
        label: d.name || 'draft',
        severity: d.severity,
      }),
    };
  });
}

/** The draft's thresholds and clear thresholds as chart lines. */
export function thresholdsOf(d: AlertRuleDraft): ChartThreshold[] {
  const line = (value: number | undefined, label: string, clear = false) =>
    typeof value === 'number' ? [{ metric: d.metric, value, label: `${label} ${value}`, clear }] : [];
  if (d.condition === 'rate' || d.condition === 'no_data') return [];
  return [
    ...line(d.threshold, d.condition === 'outside' ? 'low' : 'threshold'),
    ...line(d.thresholdHigh, 'high'),
    ...line(d.clearThreshold ?? d.threshold, 'clears', true),
    ...line(d.clearThresholdHigh ?? d.thresholdHigh, 'clears', true),
  ].filter((t, i, all) => !t.clear || !all.some((o) => !o.clear && o.value === t.value));
}
