import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  resource,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';

import { AlertsState } from '../../core/alerts-state';
import { ApiClient, errorMessage } from '../../core/api-client';
import { DeviceSummary, LiveReading, Series, SeriesPoint } from '../../core/api.types';
import { AuthService } from '../../core/auth.service';
import { Clock, relativeTime } from '../../core/clock';
import { applyLiveReadings, liveReadingTime } from '../../core/live-readings';
import { LiveStream } from '../../core/live-stream';
import { MetricCatalog } from '../../core/metric-catalog';
import { alertSpans } from '../../shared/chart/chart-marks';
import { ChartComponent, ZoomWindow } from '../../shared/chart/chart.component';
import {
  ChartSeriesInput,
  buildChartOption,
  formatMeasure,
  formatTime,
} from '../../shared/chart/chart-option';
import { StateComponent } from '../../shared/state.component';
import { DeviceCommandComponent } from './device-command.component';
import { MetadataRow, metadataEntries, metadataFromRows, metadataRow, metadataRows } from './device-forms';
import { displayName, isOnline } from './device-status';
import { PRESETS, PresetKey, fromLocalInput, maxPointsFor, resolveRange, toLocalInput } from './range';

type View = 'split' | 'overlay';

@Component({
  selector: 'sh-device-detail',
  imports: [RouterLink, FormsModule, ChartComponent, StateComponent, DeviceCommandComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="back" routerLink="/devices">← All devices</a>

    @if (device.error(); as e) {
      <div class="panel">
        <sh-state
          kind="error"
          title="This device could not be loaded"
          [message]="errMsg(e)"
          action="Try again"
          (act)="device.reload()"
        />
      </div>
    } @else if (!device.hasValue()) {
      <div class="panel"><sh-state kind="loading" title="Loading device…" /></div>
    } @else {
      @let d = device.value();
      <div class="page-head">
        <div class="title">
          <div class="title-row">
            <h1 data-testid="device-name">{{ name(d) }}</h1>
            @if (online(d)) {
              <span class="badge online"><span class="dot"></span>Online</span>
            } @else {
              <span class="badge offline"><span class="dot"></span>Offline</span>
            }
          </div>
          <div class="sub">
            <span class="mono">{{ d.id }}</span>
            @if (d.location) {
              · {{ d.location }}
            }
            · last seen {{ ago(d.lastSeen) }}
            @if (d.battery !== null) {
              · battery {{ d.battery.toFixed(0) }}%
            }
          </div>
        </div>
        @if (canEdit()) {
          <button type="button" class="btn" (click)="startEdit(d)" data-testid="edit-device">
            Edit device
          </button>
        }
      </div>

      @if (editing()) {
        <form class="panel edit" (ngSubmit)="saveEdit()" data-testid="edit-form">
          <label class="field"
            >Name <input type="text" name="name" [(ngModel)]="editName" maxlength="200"
          /></label>
          <label class="field"
            >Location <input type="text" name="location" [(ngModel)]="editLocation" maxlength="200"
          /></label>
          <fieldset class="meta-edit" data-testid="edit-metadata">
            <legend>Metadata</legend>
            @for (r of editMeta; track r.id; let i = $index) {
              <div class="meta-row" [attr.data-meta-row]="i">
                <input
                  type="text"
                  [name]="'meta-key-' + r.id"
                  [(ngModel)]="r.key"
                  placeholder="key"
                  aria-label="Key"
                  maxlength="100"
                />
                <input
                  type="text"
                  [name]="'meta-value-' + r.id"
                  [(ngModel)]="r.value"
                  placeholder="value"
                  aria-label="Value"
                />
                <button
                  type="button"
                  class="btn small"
                  (click)="removeMeta(r)"
                  [attr.aria-label]="'Remove ' + (r.key || 'row')"
                >
                  Remove
                </button>
              </div>
            } @empty {
              <div class="muted meta-none">No metadata yet.</div>
            }
            <button type="button" class="btn small" (click)="addMeta()" data-testid="add-metadata">
              + Add field
            </button>
          </fieldset>
          <div class="edit-actions">
            <button type="button" class="btn" (click)="editing.set(false)">Cancel</button>
            <button type="submit" class="btn primary" [disabled]="saving()">
              {{ saving() ? 'Saving…' : 'Save' }}
            </button>
          </div>
          @if (editError(); as e) {
            <div class="alert error">{{ e }}</div>
          }
        </form>
      }

      @if (canEdit()) {
        <sh-device-command [deviceId]="d.id" />
      }

      @if (meta().length) {
        <section class="panel meta" aria-label="Metadata">
          <dl data-testid="metadata">
            @for (m of meta(); track m[0]) {
              <div>
                <dt>{{ m[0] }}</dt>
                <dd>{{ m[1] }}</dd>
              </div>
            }
          </dl>
        </section>
      }

      <div class="toolbar panel">
        <div class="segmented" role="group" aria-label="Range" data-testid="range-presets">
          @for (p of presets; track p.key) {
            <button
              type="button"
              [attr.aria-pressed]="rangeSel().preset === p.key"
              (click)="setPreset(p.key)"
              [attr.data-range]="p.key"
            >
              {{ p.label }}
            </button>
          }
          <button
            type="button"
            [attr.aria-pressed]="rangeSel().preset === null || customOpen()"
            (click)="openCustom()"
            data-range="custom"
          >
            Custom
          </button>
        </div>
        @if (customOpen()) {
          <form class="custom" (ngSubmit)="applyCustom()" data-testid="custom-range">
            <label class="field"
              >From <input type="datetime-local" name="from" [(ngModel)]="customFrom" required
            /></label>
            <label class="field"
              >To <input type="datetime-local" name="to" [(ngModel)]="customTo" required
            /></label>
            <button type="submit" class="btn primary small">Apply</button>
            @if (customError(); as e) {
              <span class="err">{{ e }}</span>
            }
          </form>
        }
        <div class="spacer"></div>
        @if (metricNames().length > 1) {
          <div class="segmented" role="group" aria-label="Layout">
            <button type="button" [attr.aria-pressed]="layout() === 'split'" (click)="setView('split')">
              Separate
            </button>
            <button
              type="button"
              [attr.aria-pressed]="layout() === 'overlay'"
              (click)="setView('overlay')"
              data-testid="overlay"
            >
              Overlay
            </button>
          </div>
        }
        <button
          type="button"
          class="btn small"
          (click)="exportCsv()"
          [disabled]="exporting() || !selected().length"
          data-testid="export-csv"
        >
          {{ exporting() ? 'Exporting…' : 'Export CSV' }}
        </button>
      </div>

      @if (metricNames().length > 1) {
        <div class="metric-picks" role="group" aria-label="Metrics">
          @for (m of metricNames(); track m) {
            <label class="pick"
              ><input type="checkbox" [checked]="selected().includes(m)" (change)="toggleMetric(m)" />
              {{ catalog.label(m) }}</label
            >
          }
        </div>
      }

      <div class="range-note muted">
        <span data-testid="range-label">{{ rangeLabel() }}</span>
        @if (zoom()) {
          · zoomed to {{ fmtTime(zoom()!.start) }} – {{ fmtTime(zoom()!.end) }}
          <button type="button" class="linkish" (click)="resetZoom()">Reset zoom</button>
        }
        @if (rangeSel().live) {
          · <span class="live-tag">live</span>
        }
        · times in {{ timeZone }}
      </div>
      @if (exportError(); as e) {
        <div class="alert error">{{ e }}</div>
      }

      @if (!metricNames().length) {
        <div class="panel">
          <sh-state
            kind="empty"
            title="No readings yet"
            message="Charts appear when this device sends its first reading."
          />
        </div>
      } @else if (!selected().length) {
        <div class="panel">
          <sh-state kind="empty" title="No metric selected" message="Pick at least one metric above." />
        </div>
      } @else if (readings.error(); as e) {
        <div class="panel">
          <sh-state
            kind="error"
            title="Readings could not be loaded"
            [message]="errMsg(e)"
            action="Try again"
            (act)="readings.reload()"
          />
        </div>
      } @else {
        <div class="charts" [class.single]="charts().length === 1">
          @for (c of charts(); track c.key) {
            <section class="panel chart-panel" [attr.data-chart]="c.key">
              <header>
                <h2>{{ c.title }}</h2>
                <span class="muted small">{{ c.note }}</span>
              </header>
              @if (c.empty && !readings.isLoading()) {
                <sh-state
                  kind="empty"
                  title="No readings in this range"
                  message="Choose a longer range or another period."
                />
              } @else {
                <sh-chart
                  [options]="c.option"
                  [height]="chartHeight()"
                  [loading]="readings.isLoading() || fine.isLoading()"
                  (zoomed)="onZoom($event)"
                />
              }
            </section>
          }
        </div>
      }
    }
  `,
  styles: `
    .back {
      display: inline-block;
      margin-bottom: 12px;
      font-size: 14px;
      text-decoration: none;
    }
    .title-row {
      display: flex;
      align-items: center;
      gap: 10px;
      flex-wrap: wrap;
    }
    .mono {
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 13px;
    }
    .toolbar {
      display: flex;
      align-items: center;
      gap: 10px;
      flex-wrap: wrap;
      padding: 10px 12px;
      margin-bottom: 10px;
    }
    .toolbar .spacer {
      flex: 1;
    }
    .custom {
      display: flex;
      align-items: flex-end;
      gap: 8px;
      flex-wrap: wrap;
    }
    .custom .err {
      color: var(--danger);
      font-size: 13px;
    }
    .metric-picks {
      display: flex;
      gap: 14px;
      flex-wrap: wrap;
      margin: 4px 0 10px;
      font-size: 14px;
    }
    .pick {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      cursor: pointer;
    }
    .range-note {
      font-size: 13px;
      margin-bottom: 14px;
    }
    .live-tag {
      color: var(--ok);
      font-weight: 600;
    }
    .linkish {
      border: 0;
      background: none;
      color: var(--accent);
      cursor: pointer;
      font: inherit;
      padding: 0 4px;
      text-decoration: underline;
    }
    .charts {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(480px, 1fr));
      gap: 16px;
    }
    .charts.single {
      grid-template-columns: 1fr;
    }
    .chart-panel {
      min-width: 0;
    }
    .chart-panel header h2 {
      text-transform: none;
    }
    .chart-panel sh-chart {
      padding: 8px 8px 4px;
    }
    .small {
      font-size: 12px;
    }
    .edit {
      display: flex;
      gap: 12px;
      align-items: flex-end;
      flex-wrap: wrap;
      padding: 14px 16px;
      margin-bottom: 14px;
    }
    .edit .field {
      flex: 1 1 200px;
    }
    .edit-actions {
      display: flex;
      gap: 8px;
      margin-left: auto;
    }
    .meta-edit {
      flex: 1 1 100%;
      border: 0;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 8px;
    }
    .meta-edit legend {
      font-size: 13px;
      font-weight: 550;
      color: var(--muted);
      padding: 0;
      margin-bottom: 4px;
    }
    .meta-row {
      display: flex;
      gap: 8px;
      width: 100%;
    }
    .meta-row input {
      flex: 1 1 0;
    }
    .meta-row input:first-child {
      flex: 0 1 200px;
    }
    .meta-none {
      font-size: 14px;
    }
    .meta {
      padding: 10px 16px;
      margin-bottom: 10px;
    }
    .meta dl {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 28px;
      margin: 0;
      font-size: 14px;
    }
    .meta dt {
      font-size: 12px;
      font-weight: 600;
      color: var(--muted);
    }
    .meta dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    @media (max-width: 640px) {
      .charts {
        grid-template-columns: 1fr;
      }
      .toolbar {
        padding: 8px;
      }
      .segmented button {
        padding: 7px 8px;
      }
    }
  `,
})
export class DeviceDetailPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly clock = inject(Clock);
  private readonly auth = inject(AuthService);
  private readonly liveStream = inject(LiveStream);
  protected readonly catalog = inject(MetricCatalog);
  private readonly alertsState = inject(AlertsState);
  /** the thresholds of this device's firing alerts, as lines on their metric's chart */
  protected readonly thresholds = computed(() =>
    this.alertsState
      .firing()
      .filter((a) => a.deviceId === this.id())
      .flatMap((a) =>
        [a.threshold, a.thresholdHigh]
          .filter((v): v is number => v !== null)
          .map((value) => ({ metric: a.metric, value, label: `${a.ruleName} (${a.severity})` })),
      ),
  );

  /** this device's alerts (newest 500), drawn as firing spans with pins on their metric's chart */
  private readonly alertHistory = resource({
    params: () => ({ id: this.id(), changes: this.alertsState.changes() }),
    loader: ({ params: p }) => this.api.alerts({ deviceId: p.id, limit: 500, offset: 0 }),
  });

  // URL state (route param + query params, bound by withComponentInputBinding)
  readonly id = input.required<string>();
  readonly range = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly metrics = input<string>();
  readonly view = input<string>();

  protected readonly presets = PRESETS;
  protected readonly timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  protected readonly canEdit = computed(() => this.auth.can('operator'));
  protected readonly compact = signal(window.innerWidth < 640);
  protected readonly chartHeight = computed(() => (this.compact() ? 220 : 300));

  /** "now" for preset ranges: fixed when the range is chosen, so live points extend it rather than refetching */
  private readonly anchor = signal(Date.now());
  protected readonly rangeSel = computed(() =>
    resolveRange({ range: this.range(), from: this.from(), to: this.to() }, this.anchor()),
  );

  protected readonly device = resource({
    params: () => ({ id: this.id() }),
    loader: ({ params }) => this.api.device(params.id),
  });

  // equal by content: live updates replace the device object, which must not refetch the readings
  protected readonly metricNames = computed(
    () => (this.device.hasValue() ? this.device.value().metrics.map((m) => m.metric) : []),
    { equal: sameList },
  );
  protected readonly selected = computed(
    () => {
      const all = this.metricNames();
      const wanted = this.metrics()?.split(',').filter(Boolean);
      return wanted?.length ? all.filter((m) => wanted.includes(m)) : all;
    },
    { equal: sameList },
  );
  protected readonly layout = computed<View>(() => (this.view() === 'overlay' ? 'overlay' : 'split'));

  private readonly maxPoints = maxPointsFor(Math.min(window.innerWidth, 1400));

  /** the whole range, downsampled to about one point per 2 px */
  protected readonly readings = resource({
    params: () => {
      const metrics = this.selected();
      if (!metrics.length) return undefined;
      const r = this.rangeSel();
      return { id: this.id(), metrics, from: r.from, to: r.to };
    },
    loader: ({ params: p }) => this.loadSeries(p.id, p.metrics, p.from, p.to),
  });

  /** the zoomed window at finer resolution */
  protected readonly zoom = signal<ZoomWindow | null>(null);
  protected readonly fine = resource({
    params: () => {
      const z = this.zoom();
      const metrics = this.selected();
      if (!z || !metrics.length) return undefined;
      return { id: this.id(), metrics, from: z.start, to: z.end };
    },
    loader: ({ params: p }) => this.loadSeries(p.id, p.metrics, p.from, p.to),
  });

  /** live points received since the range was loaded */
  private readonly tail = linkedSignal<unknown, Record<string, SeriesPoint[]>>({
    source: () => [this.id(), this.rangeSel()],
    computation: () => ({}),
  });

  protected readonly merged = computed<Series[]>(() => {
    const base = this.readings.hasValue() ? this.readings.value() : [];
    const z = this.zoom();
    const fine = z && this.fine.hasValue() ? this.fine.value() : [];
    const tail = this.tail();
    return base.map((s) => {
      let points = s.points;
      const f = fine.find((x) => x.metric === s.metric);
      if (z && f)
        points = [...points.filter((p) => p.t < z.start), ...f.points, ...points.filter((p) => p.t > z.end)];
      const last = points.at(-1)?.t ?? -Infinity;
      const extra = (tail[s.metric] ?? []).filter((p) => p.t > last);
      return { ...s, points: extra.length ? [...points, ...extra] : points };
    });
  });

  protected readonly charts = computed(() => {
    const r = this.rangeSel();
    const series = this.merged();
    const input = (ss: Series[]): ChartSeriesInput[] =>
      ss.map((s) => {
        const { displayName, unit, decimals } = this.catalog.info(s.metric);
        return {
          metric: s.metric,
          label: displayName,
          unit,
          decimals,
          points: s.points,
          downsampled: s.downsampled,
        };
      });
    const opt = (ss: Series[]) =>
      buildChartOption({
        series: input(ss),
        from: r.from,
        to: r.to,
        zoom: this.zoom(),
        timeZone: this.timeZone,
        compact: this.compact(),
        thresholds: this.thresholds(),
        alerts: this.alertHistory.hasValue()
          ? alertSpans(this.alertHistory.value().items, r.from, Infinity)
          : [],
      });
    const fine = this.zoom() && this.fine.hasValue() ? this.fine.value() : null;
    const note = (ss: Series[]) => {
      // when zoomed, describe the resolution of what is on screen
      const shown = fine ? fine.filter((f) => ss.some((x) => x.metric === f.metric)) : ss;
      const s = shown.find((x) => x.bucketMs !== null);
      return s
        ? `averages${s.bucketMs ? ' per ' + duration(s.bucketMs) : ''}, band = min–max`
        : 'raw readings';
    };
    if (this.layout() === 'overlay' && series.length > 1) {
      return [
        {
          key: 'overlay',
          title: series.map((s) => this.catalog.label(s.metric)).join(' · '),
          note: note(series),
          option: opt(series),
          empty: series.every((s) => !s.points.length),
        },
      ];
    }
    return series.map((s) => ({
      key: s.metric,
      title: this.catalog.labelWithUnit(s.metric),
      note: `${note([s])}${s.points.length ? ' · latest ' + this.measure(s.metric, s.points.at(-1)!.avg) : ''}`,
      option: opt([s]),
      empty: !s.points.length,
    }));
  });

  protected readonly rangeLabel = computed(() => {
    const r = this.rangeSel();
    const p = PRESETS.find((x) => x.key === r.preset);
    return p
      ? `Last ${p.label}`
      : `${formatTime(r.from, this.timeZone, false)} – ${formatTime(r.to, this.timeZone, false)}`;
  });

  // custom range form
  protected readonly customOpen = signal(false);
  protected customFrom = '';
  protected customTo = '';
  protected readonly customError = signal<string | null>(null);

  // edit form
  protected readonly editing = signal(false);
  protected readonly saving = signal(false);
  protected readonly editError = signal<string | null>(null);
  protected editName = '';
  protected editLocation = '';
  protected editMeta: MetadataRow[] = [];

  protected readonly meta = computed(() =>
    this.device.hasValue() ? metadataEntries(this.device.value().metadata) : [],
  );

  protected readonly exporting = signal(false);
  protected readonly exportError = signal<string | null>(null);

  constructor() {
    void this.catalog.load();
    // a new range or device starts unzoomed
    effect(() => {
      this.rangeSel();
      this.id();
      untracked(() => this.zoom.set(null));
    });
    const stop = this.liveStream.listen({ readings: (b) => this.onLive(b) });
    const onResize = () => this.compact.set(window.innerWidth < 640);
    window.addEventListener('resize', onResize);
    inject(DestroyRef).onDestroy(() => {
      stop();
      window.removeEventListener('resize', onResize);
    });
  }

  protected name = displayName;
  /** a value with the catalog's unit and decimals */
  protected measure(metric: string, v: number): string {
    const { unit, decimals } = this.catalog.info(metric);
    return formatMeasure(v, unit, decimals);
  }
  protected fmtTime = (t: number) => formatTime(t, this.timeZone, false);
  protected online(d: DeviceSummary): boolean {
    return isOnline(d, this.clock.now());
  }
  protected ago(t: number | null): string {
    return relativeTime(t, this.clock.now());
  }
  protected errMsg(e: unknown): string {
    return errorMessage(e);
  }

  protected setPreset(key: PresetKey): void {
    this.customOpen.set(false);
    this.anchor.set(Date.now());
    void this.router.navigate([], {
      queryParams: { range: key, from: null, to: null },
      queryParamsHandling: 'merge',
    });
  }

  protected openCustom(): void {
    const r = this.rangeSel();
    this.customFrom = toLocalInput(r.from);
    this.customTo = toLocalInput(r.to);
    this.customError.set(null);
    this.customOpen.set(!this.customOpen());
  }

  protected applyCustom(): void {
    const from = fromLocalInput(this.customFrom);
    const to = fromLocalInput(this.customTo);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
      this.customError.set('"From" must be before "To".');
      return;
    }
    this.customOpen.set(false);
    void this.router.navigate([], {
      queryParams: { range: null, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      queryParamsHandling: 'merge',
    });
  }

  protected setView(v: View): void {
    void this.router.navigate([], {
      queryParams: { view: v === 'split' ? null : v },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  protected toggleMetric(m: string): void {
    const cur = this.selected();
    const next = cur.includes(m) ? cur.filter((x) => x !== m) : [...cur, m];
    const all = this.metricNames();
    const value =
      next.length === all.length
        ? null
        : next.length
          ? this.metricNames()
              .filter((x) => next.includes(x))
              .join(',')
          : '-';
    void this.router.navigate([], { queryParams: { metrics: value }, queryParamsHandling: 'merge' });
  }

  protected onZoom(z: ZoomWindow | null): void {
    this.zoom.set(z);
  }

  protected resetZoom(): void {
    this.zoom.set(null);
  }

  protected startEdit(d: DeviceSummary): void {
    this.editName = d.name ?? '';
    this.editLocation = d.location ?? '';
    this.editMeta = metadataRows(d.metadata);
    this.editError.set(null);
    this.editing.set(true);
  }

  protected addMeta(): void {
    this.editMeta = [...this.editMeta, metadataRow()];
  }

  protected removeMeta(r: MetadataRow): void {
    this.editMeta = this.editMeta.filter((x) => x !== r);
  }

  protected async saveEdit(): Promise<void> {
    const meta = metadataFromRows(this.editMeta);
    if ('error' in meta) {
      this.editError.set(meta.error);
      return;
    }
    this.saving.set(true);
    this.editError.set(null);
    try {
      const updated = await this.api.updateDevice(this.id(), {
        name: this.editName.trim() || null,
        location: this.editLocation.trim() || null,
        metadata: meta.metadata,
      });
      this.device.update((d) =>
        d ? { ...d, name: updated.name, location: updated.location, metadata: updated.metadata } : d,
      );
      this.editing.set(false);
    } catch (e) {
      this.editError.set(this.errMsg(e));
    } finally {
      this.saving.set(false);
    }
  }

  protected async exportCsv(): Promise<void> {
    const r = this.rangeSel();
    const z = this.zoom();
    const from = z?.start ?? r.from;
    const to = z?.end ?? (r.live ? Date.now() : r.to);
    this.exporting.set(true);
    this.exportError.set(null);
    try {
      const all = this.selected().length === this.metricNames().length;
      const blob = await this.api.exportCsv(this.id(), all ? null : this.selected(), from, to);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download =
        `${this.id()}_${new Date(from).toISOString().slice(0, 16)}_${new Date(to).toISOString().slice(0, 16)}.csv`.replace(
          /:/g,
          '',
        );
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      this.exportError.set(`Export failed: ${this.errMsg(e)}`);
    } finally {
      this.exporting.set(false);
    }
  }

  private loadSeries(id: string, metrics: string[], from: number, to: number): Promise<Series[]> {
    return Promise.all(
      metrics.map((metric) =>
        this.api.readings(id, { metric, from, to, maxPoints: this.maxPoints, tz: this.timeZone }),
      ),
    );
  }

  private onLive(batch: LiveReading[]): void {
    const id = this.id();
    const mine = batch.filter((r) => r.deviceId === id);
    if (!mine.length) return;
    this.device.update((d) => d && applyLiveReadings([d], mine)[0]);
    if (!this.rangeSel().live) return;
    this.tail.update((t) => {
      const next = { ...t };
      for (const r of mine)
        next[r.metric] = [
          ...(next[r.metric] ?? []),
          { t: liveReadingTime(r), avg: r.value, min: r.value, max: r.value, count: 1 },
        ];
      return next;
    });
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${+(ms / 86_400_000).toFixed(1)} d`;
}
