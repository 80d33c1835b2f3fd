import { Signal, computed, inject, linkedSignal, resource } from '@angular/core';

import { LiveReading, Series } from '../../../core/api.types';
import { compareNames } from '../../../core/format';
import { liveReadingTime } from '../../../core/live-readings';
import { ALL_METRICS, ReadingsClient } from '../../../core/readings-client';
import { ZoomWindow } from '../../../shared/chart/chart.component';
import { ResolvedRange } from '../range';
import { LiveTail, mergeSeries } from './device-charts';

/** What the device page's series depend on: its URL state and the device's metrics. */
export interface SeriesQuery {
  id: Signal<string>;
  range: Signal<ResolvedRange>;
  zoom: Signal<ZoomWindow | null>;
  /** the `metrics` query value: none picked means every metric of the device */
  picked: Signal<string | undefined>;
  /** the picked metrics the device has, in its order */
  selected: Signal<string[]>;
  /** bumped when a live reading brings a metric the device had not: all its metrics are loaded again */
  added: Signal<number>;
  timeZone: string;
  maxPoints: number;
}

/**
 * The device page's series: the range's readings of every chosen metric in one request (downsampled to about one
 * point per 2 px), the zoomed window's at a finer resolution, and the live points received since, merged into what
 * the charts draw. Create in an injection context.
 */
export class DeviceSeries {
  private readonly api = inject(ReadingsClient);

  /**
   * What the range's readings are loaded for: the metrics picked in the URL (once the device says which it has), or
   * with none picked every metric of the device (`device:*`), asked at once beside the device, not after its answer.
   */
  private readonly loadFor = computed(
    () => {
      const r = this.q.range();
      const base = { id: this.q.id(), from: r.from, to: r.to, added: this.q.added() };
      if (!this.q.picked()) return { ...base, metrics: null };
      const metrics = this.q.selected();
      return metrics.length ? { ...base, metrics } : undefined;
    },
    { equal: sameLoad },
  );

  /** the whole range */
  readonly readings = resource({
    params: () => this.loadFor(),
    loader: ({ params: p }) => this.load(p.id, p.metrics, p.from, p.to),
  });

  /** what was loaded last: kept on screen while a new range or an auto-refresh loads */
  private readonly shown = linkedSignal<Series[] | undefined, Series[]>({
    source: () => (this.readings.hasValue() ? this.readings.value() : undefined),
    computation: (v, prev) => v ?? prev?.value ?? [],
  });

  /** the zoomed window at finer resolution */
  readonly fine = resource({
    params: () => {
      const z = this.q.zoom();
      const metrics = this.q.selected();
      if (!z || !metrics.length) return undefined;
      return { id: this.q.id(), metrics, from: z.start, to: z.end };
    },
    loader: ({ params: p }) => this.load(p.id, p.metrics, p.from, p.to),
  });
  /** the zoomed window's own series, when zoomed and loaded */
  readonly fineShown = computed(() => (this.q.zoom() && this.fine.hasValue() ? this.fine.value() : null));

  /** live points received since the range was loaded */
  private readonly tail = linkedSignal<unknown, LiveTail>({
    source: () => [this.q.id(), this.q.range()],
    computation: () => ({}),
  });

  /** the range's series with the zoomed window's finer points and the live points merged in */
  readonly merged = computed(() =>
    mergeSeries(this.shown(), this.q.zoom(), this.fineShown() ?? [], this.tail()),
  );

  constructor(private readonly q: SeriesQuery) {}

  /** this device's live readings: appended while the range ends now */
  appendLive(mine: LiveReading[]): void {
    if (!this.q.range().live) return;
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

  /** the metrics' series in one request (GET /series); null: every metric of the device, in the page's name order */
  private async load(id: string, metrics: string[] | null, from: number, to: number): Promise<Series[]> {
    const keys = (metrics ?? [ALL_METRICS]).map((metric) => ({ deviceId: id, metric }));
    const series = await this.api.series(keys, {
      from,
      to,
      maxPoints: this.q.maxPoints,
      tz: this.q.timeZone,
    });
    return metrics ? series : series.sort((a, b) => compareNames(a.metric, b.metric));
  }
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

interface SeriesLoad {
  id: string;
  metrics: string[] | null;
  added: number;
  from: number;
  to: number;
}

/** equal by content: a new list of the same metrics (the device's live updates make one) loads nothing */
function sameLoad(a: SeriesLoad | undefined, b: SeriesLoad | undefined): boolean {
  if (!a || !b) return a === b;
  const metrics = a.metrics && b.metrics ? sameList(a.metrics, b.metrics) : a.metrics === b.metrics;
  return a.id === b.id && a.from === b.from && a.to === b.to && a.added === b.added && metrics;
}
