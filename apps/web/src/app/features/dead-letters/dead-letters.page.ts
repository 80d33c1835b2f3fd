import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';

import { DeadLettersClient } from '../../core/dead-letters-client';
import { errorMessage } from '../../core/errors';
import { DeadLetter, DeadLetterFilter, DeadLetterPage, ReasonCount } from '../../core/api.types';
import { StateComponent } from '../../shared/state.component';
import { fromLocalInput } from '../devices/range';
import { formatNumber, formatTime } from '../../core/format';

export const PAGE_SIZE = 50;
const PREVIEW_CHARS = 80;
const FILTER_DEBOUNCE_MS = 300;

/** The audit of what ingest refused: counts per reason, the messages with why, and replay once the cause is fixed. */
@Component({
  selector: 'sh-dead-letters-page',
  imports: [StateComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dead-letters.page.html',
  styleUrl: './dead-letters.page.css',
})
export class DeadLettersPage {
  private readonly api = inject(DeadLettersClient);

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
    return formatTime(t);
  }

  protected size(bytes: number): string {
    return bytes < 1024 ? `${bytes} B` : `${formatNumber(bytes / 1024, 1)} KiB`;
  }
}
