import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';

import { ApiClient, errorMessage } from '../../core/api-client';
import { DeadLetter, DeadLetterFilter, DeadLetterPage, ReasonCount } from '../../core/api.types';
import { StateComponent } from '../../shared/state.component';
import { fromLocalInput } from '../devices/range';

export const PAGE_SIZE = 50;
const PREVIEW_CHARS = 80;
const FILTER_DEBOUNCE_MS = 300;

/** The audit of what ingest refused: counts per reason, the messages with why, and replay once the cause is fixed. */
@Component({
  selector: 'sh-dead-letters-page',
  imports: [StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page-head">
      <div>
        <h1>Dead letters</h1>
        <div class="sub">
          Messages ingest could not store, with why. Replay one after fixing the device, the metric catalog or
          the accepted time window: ingest judges it again.
        </div>
      </div>
      <button type="button" class="btn" (click)="reload()" data-testid="refresh">Refresh</button>
    </div>

    <div class="reasons" role="group" aria-label="Reasons" data-testid="reason-counts">
      <button type="button" class="chip" [attr.aria-pressed]="!reason()" (click)="setReason(null)">
        All <span class="count tabular">{{ summaryTotal() }}</span>
      </button>
      @for (r of summary(); track r.reason) {
        <button
          type="button"
          class="chip"
          [attr.aria-pressed]="reason() === r.reason"
          [attr.data-reason]="r.reason"
          (click)="setReason(reason() === r.reason ? null : r.reason)"
        >
          <code>{{ r.reason }}</code> <span class="count tabular">{{ r.count }}</span>
        </button>
      }
    </div>

    <div class="panel filters" data-testid="filters">
      <label class="field"
        >Device
        <input
          type="search"
          placeholder="device id"
          [value]="device()"
          (input)="device.set($any($event.target).value)"
          data-testid="filter-device"
      /></label>
      <label class="field"
        >From <input type="datetime-local" [value]="from()" (change)="from.set($any($event.target).value)"
      /></label>
      <label class="field"
        >To <input type="datetime-local" [value]="to()" (change)="to.set($any($event.target).value)"
      /></label>
      @if (reason() || device() || from() || to()) {
        <button type="button" class="btn small" (click)="clearFilters()">Clear filters</button>
      }
    </div>

    @if (notice(); as n) {
      <div class="alert" [class.success]="n.ok" [class.error]="!n.ok" role="status" data-testid="notice">
        {{ n.text }}
      </div>
    }

    <section class="panel">
      @if (error(); as e) {
        <sh-state
          kind="error"
          title="Dead letters could not be loaded"
          [message]="e"
          action="Try again"
          (act)="reload()"
        />
      } @else if (!page()) {
        <sh-state kind="loading" title="Loading dead letters…" />
      } @else if (!page()!.items.length) {
        <sh-state
          kind="empty"
          [title]="filtered() ? 'No dead letters match' : 'No dead letters'"
          [message]="filtered() ? 'Try other filters.' : 'Every message ingest received could be stored.'"
        />
      } @else {
        <div class="table-wrap">
          <table class="data" data-testid="dead-letters-table">
            <thead>
              <tr>
                <th>Received</th>
                <th>Device</th>
                <th>Topic</th>
                <th>Reason</th>
                <th>Detail</th>
                <th>Payload</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              @for (d of page()!.items; track d.id) {
                <tr [attr.data-dead-letter]="d.id">
                  <td class="nowrap tabular">{{ time(d.receivedAt) }}</td>
                  <td>{{ d.deviceId ?? '—' }}</td>
                  <td class="topic">
                    <code>{{ d.topic }}</code>
                  </td>
                  <td>
                    <span class="badge reason" data-testid="reason">{{ d.reason }}</span>
                  </td>
                  <td class="detail">{{ d.detail }}</td>
                  <td class="payload">
                    <code class="preview" [class.b64]="d.payloadEncoding === 'base64'">{{ preview(d) }}</code>
                    <div class="payload-meta muted">
                      {{ size(d.payloadSize) }}{{ d.payloadEncoding === 'base64' ? ' · base64' : ''
                      }}{{ d.truncated ? ' · cut to 16 KiB' : '' }}
                      @if (expandable(d)) {
                        <button
                          type="button"
                          class="linkish"
                          (click)="toggle(d.id)"
                          [attr.aria-expanded]="expanded() === d.id"
                        >
                          {{ expanded() === d.id ? 'Hide' : 'Show all' }}
                        </button>
                      }
                    </div>
                  </td>
                  <td class="actions">
                    @if (d.replayCount) {
                      <div class="muted replayed" [title]="'Last replay ' + time(d.replayedAt!)">
                        replayed {{ d.replayCount }}×
                      </div>
                    }
                    @if (d.truncated) {
                      <span
                        class="muted"
                        title="Only the first 16 KiB were kept, so it cannot be sent again as it was"
                        >not replayable</span
                      >
                    } @else if (confirming() === d.id) {
                      <button type="button" class="btn small primary" [disabled]="busy()" (click)="replay(d)">
                        Replay now
                      </button>
                      <button type="button" class="btn small" (click)="confirming.set(null)">Cancel</button>
                    } @else {
                      <button
                        type="button"
                        class="btn small"
                        (click)="confirming.set(d.id)"
                        data-testid="replay"
                      >
                        Replay
                      </button>
                    }
                  </td>
                </tr>
                @if (expanded() === d.id) {
                  <tr class="full">
                    <td colspan="7">
                      <pre data-testid="payload-full">{{ d.payload }}</pre>
                    </td>
                  </tr>
                }
              }
            </tbody>
          </table>
        </div>
        <div class="pager">
          <span class="muted tabular" data-testid="range">{{ rangeText() }}</span>
          <button
            type="button"
            class="btn small"
            [disabled]="offset() === 0"
            (click)="goTo(offset() - pageSize)"
          >
            Previous
          </button>
          <button
            type="button"
            class="btn small"
            [disabled]="offset() + pageSize >= page()!.total"
            (click)="goTo(offset() + pageSize)"
          >
            Next
          </button>
        </div>
      }
    </section>
  `,
  styles: `
    .reasons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-bottom: 14px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      font: inherit;
      font-size: 13px;
      padding: 6px 12px;
      border-radius: 999px;
      border: 1px solid var(--border);
      background: var(--surface);
      color: var(--text);
      cursor: pointer;
    }
    .chip:hover {
      background: #eef2f7;
    }
    .chip[aria-pressed='true'] {
      border-color: var(--accent);
      background: #e8f1fb;
      color: var(--accent-strong);
    }
    .chip code {
      font-size: 12px;
    }
    .count {
      font-weight: 650;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 14px;
      padding: 14px 16px;
      margin-bottom: 14px;
    }
    .nowrap {
      white-space: nowrap;
    }
    .topic code {
      font-size: 12px;
      overflow-wrap: anywhere;
    }
    .badge.reason {
      background: #fcf0f2;
      color: #9b1c33;
      white-space: nowrap;
    }
    .detail {
      max-width: 28ch;
      font-size: 13px;
      overflow-wrap: anywhere;
    }
    .payload {
      max-width: 32ch;
    }
    .preview {
      display: block;
      font-size: 12px;
      overflow-wrap: anywhere;
      white-space: pre-wrap;
    }
    .preview.b64 {
      color: var(--muted);
    }
    .payload-meta,
    .replayed {
      font-size: 12px;
      margin-top: 2px;
    }
    .linkish {
      font: inherit;
      font-size: 12px;
      border: 0;
      padding: 0 0 0 6px;
      background: none;
      color: var(--accent);
      cursor: pointer;
    }
    .actions {
      text-align: right;
      white-space: nowrap;
    }
    .actions .btn + .btn {
      margin-left: 6px;
    }
    tr.full pre {
      margin: 0;
      padding: 10px 12px;
      max-height: 320px;
      overflow: auto;
      background: var(--bg);
      border: 1px solid var(--border);
      border-radius: 6px;
      font-size: 12px;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .pager {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      gap: 8px;
      padding: 10px 16px;
      border-top: 1px solid var(--border);
    }
    .pager span {
      margin-right: auto;
      font-size: 13px;
    }
  `,
})
export class DeadLettersPage {
  private readonly api = inject(ApiClient);

  protected readonly pageSize = PAGE_SIZE;
  protected readonly reason = signal<string | null>(null);
  protected readonly device = signal('');
  /** datetime-local values (the browser's zone) */
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly offset = signal(0);
  protected readonly page = signal<DeadLetterPage | null>(null);
  protected readonly summary = signal<ReasonCount[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly expanded = signal<string | null>(null);
  protected readonly confirming = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly notice = signal<{ ok: boolean; text: string } | null>(null);
  private loads = 0;

  protected readonly summaryTotal = computed(() => this.summary().reduce((n, r) => n + r.count, 0));
  protected readonly filtered = computed(
    () => !!(this.reason() || this.device() || this.from() || this.to()),
  );
  protected readonly rangeText = computed(() => {
    const p = this.page();
    if (!p || !p.items.length) return '';
    return `${p.offset + 1}–${p.offset + p.items.length} of ${p.total}`;
  });

  /** the filters as the API takes them; a device id being typed is not sent until it is a whole id */
  private readonly filter = computed<DeadLetterFilter>(() => {
    const device = this.device().trim();
    const time = (v: string) => (Number.isFinite(fromLocalInput(v)) ? fromLocalInput(v) : undefined);
    return {
      device: /^[A-Za-z0-9_-]{1,64}$/.test(device) ? device : undefined,
      from: time(this.from()),
      to: time(this.to()),
    };
  });

  constructor() {
    let first = true;
    effect((onCleanup) => {
      const f = this.filter();
      const reason = this.reason();
      untracked(() => this.offset.set(0));
      // the first load at once; later filter changes once typing pauses
      const timer = setTimeout(() => void this.load(f, reason), first ? 0 : FILTER_DEBOUNCE_MS);
      first = false;
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected reload(): void {
    void this.load(this.filter(), this.reason());
  }

  private async load(f: DeadLetterFilter, reason: string | null): Promise<void> {
    const seq = ++this.loads;
    this.error.set(null);
    try {
      // counts for every reason under the other filters: they are the reason filter's choices
      const [page, summary] = await Promise.all([
        this.api.deadLetters({ ...f, reason: reason ?? undefined }, PAGE_SIZE, this.offset()),
        this.api.deadLetterSummary(f),
      ]);
      if (seq !== this.loads) return;
      this.page.set(page);
      this.summary.set(summary);
    } catch (e) {
      if (seq === this.loads) this.error.set(errorMessage(e));
    }
  }

  protected setReason(reason: string | null): void {
    this.reason.set(reason);
  }

  protected clearFilters(): void {
    this.reason.set(null);
    this.device.set('');
    this.from.set('');
    this.to.set('');
  }

  protected goTo(offset: number): void {
    this.offset.set(Math.max(0, offset));
    this.reload();
  }

  protected toggle(id: string): void {
    this.expanded.update((cur) => (cur === id ? null : id));
  }

  protected async replay(d: DeadLetter): Promise<void> {
    this.busy.set(true);
    this.notice.set(null);
    try {
      const r = await this.api.replayDeadLetter(d.id);
      this.notice.set({
        ok: true,
        text: `Replayed to ${r.topic} (${this.size(r.payloadSize)}). Ingest checks it again: it becomes readings, or a new dead letter if it is still refused.`,
      });
      this.confirming.set(null);
      // show the replay count, and a new dead letter if ingest refused it again
      setTimeout(() => this.reload(), 1000);
      this.reload();
    } catch (e) {
      this.notice.set({ ok: false, text: errorMessage(e) });
    } finally {
      this.busy.set(false);
    }
  }

  protected preview(d: DeadLetter): string {
    if (!d.payload) return '(empty)';
    return d.payload.length > PREVIEW_CHARS ? d.payload.slice(0, PREVIEW_CHARS) + '…' : d.payload;
  }

  protected expandable(d: DeadLetter): boolean {
    return d.payload.length > PREVIEW_CHARS || d.payload.includes('\n');
  }

  protected time(t: number): string {
    return new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  }

  protected size(bytes: number): string {
    return bytes < 1024
      ? `${bytes} B`
      : `${(bytes / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 })} KiB`;
  }
}
