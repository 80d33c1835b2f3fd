import { DestroyRef, Signal, computed, effect, inject, signal } from '@angular/core';
import { Router } from '@angular/router';

import { ZoomWindow } from '../../../shared/chart/chart.component';
import { parseZoom, refreshMs, resolveRange, shiftRange, zoomOutRange } from '../range';

/** The time query values of the device page's URL, as bound by withComponentInputBinding. */
export interface TimeQuery {
  range: Signal<string | undefined>;
  from: Signal<string | undefined>;
  to: Signal<string | undefined>;
  zoomFrom: Signal<string | undefined>;
  zoomTo: Signal<string | undefined>;
  refresh: Signal<string | undefined>;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * The device page's time state, all of it in the URL (so a shared link shows the same window): the range, the
 * zoom inside it and the auto-refresh interval; and the moves of the time picker (quick range, absolute range,
 * shift, zoom out). Auto-refresh calls `onRefresh` at the chosen interval. Create in an injection context.
 */
export class TimeControl {
  private readonly router = inject(Router);
  /** "now" for relative ranges: fixed when chosen, so live points extend the range rather than refetching */
  private readonly anchor = signal(Date.now());

  readonly range = computed(() =>
    resolveRange({ range: this.q.range(), from: this.q.from(), to: this.q.to() }, this.anchor()),
  );
  readonly zoom = computed<ZoomWindow | null>(() => parseZoom(this.q.zoomFrom(), this.q.zoomTo()), {
    equal: (a, b) => a === b || (!!a && !!b && a.start === b.start && a.end === b.end),
  });
  readonly refresh = computed(() => (refreshMs(this.q.refresh()) ? this.q.refresh()! : 'off'));

  constructor(
    private readonly q: TimeQuery,
    onRefresh: () => void,
  ) {
    let timer: ReturnType<typeof setInterval> | undefined;
    effect(() => {
      clearInterval(timer);
      const ms = refreshMs(this.refresh());
      if (ms) timer = setInterval(() => (this.range().live ? this.anchor.set(Date.now()) : onRefresh()), ms);
    });
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** a quick relative range (`now-7d`), unzoomed */
  setRelative(relative: string): void {
    this.anchor.set(Date.now());
    this.go({ range: relative, from: null, to: null, zoomFrom: null, zoomTo: null });
  }

  /** an absolute range, unzoomed */
  setAbsolute({ from, to }: { from: number; to: number }): void {
    this.go({ range: null, from: iso(from), to: iso(to), zoomFrom: null, zoomTo: null });
  }

  /** half the range's span back (−1) or forward (+1) */
  shift(dir: -1 | 1): void {
    this.setAbsolute(shiftRange(this.range(), dir, Date.now()));
  }

  /** out of the zoom first (twice its width, or none once it covers the range), then the range doubled */
  zoomOut(): void {
    const z = this.zoom();
    const r = this.range();
    if (z) {
      const half = z.end - z.start;
      const start = Math.max(r.from, z.start - half / 2);
      const end = Math.min(r.to, z.end + half / 2);
      this.setZoom(start <= r.from && end >= r.to ? null : { start, end });
      return;
    }
    const out = zoomOutRange(r, Date.now());
    if ('relative' in out) this.setRelative(out.relative);
    else this.setAbsolute(out);
  }

  setZoom(z: ZoomWindow | null): void {
    const cur = this.zoom();
    if (z === cur || (z && cur && z.start === cur.start && z.end === cur.end)) return;
    this.go({ zoomFrom: z ? iso(z.start) : null, zoomTo: z ? iso(z.end) : null });
  }

  setRefresh(key: string): void {
    this.go({ refresh: key === 'off' ? null : key }, true);
  }

  private go(queryParams: Record<string, string | null>, replaceUrl = false): void {
    void this.router.navigate([], { queryParams, queryParamsHandling: 'merge', replaceUrl });
  }
}
