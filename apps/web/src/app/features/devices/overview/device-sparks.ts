import { computed, signal } from '@angular/core';

import { ALL_METRICS, ReadingsClient } from '../../../core/readings-client';
import { LiveReading } from '../../../core/api.types';
import { liveReadingTime } from '../../../core/live-readings';

export type Spark = (readonly [number, number])[];

export const SPARK_WINDOW_S = 3600;
/** a device quiet for longer than the window shows the day of data ending at its last reading instead */
export const QUIET_SPARK_WINDOW_MS = 24 * 3600 * 1000;
const SPARK_POINTS = 40;
/** the most ids GET /sparklines takes */
const SPARK_CHUNK = 200;
/** a device fetched this recently is not fetched again when it comes back into view (live events keep it current) */
const SPARK_FRESH_MS = 60_000;

export function sparkKey(deviceId: string, metric: string): string {
  return `${deviceId}\u0000${metric}`;
}

/** The overview's sparklines: the last hour per device and metric, fetched for the shown devices, extended live. */
export class DeviceSparks {
  private readonly sparks = signal<Record<string, Spark>>({});
  readonly all = this.sparks.asReadonly();
  /** per metric, the [low, high] of all its sparklines: one scale, so a 0.3 °C dip looks like one everywhere */
  readonly ranges = computed(() => sparkRanges(this.sparks()));
  /** when each device's sparklines were last requested (epoch ms) */
  private readonly fetchedAt = new Map<string, number>();

  constructor(private readonly api: ReadingsClient) {}

  /** whether any device's sparklines were requested yet */
  get started(): boolean {
    return this.fetchedAt.size > 0;
  }

  /**
   * Last hour of every metric of the given devices not fetched lately, in their order, one request per SPARK_CHUNK
   * devices. Fetched buckets replace what a key held up to its last bucket; live points after it stay. A device whose
   * last reading (`lastOf`) is older than the hour gets the day ending at that reading, as the device page offers a
   * quiet device's last day: an offline card shows its last data rather than empty lines.
   */
  async load(ids: string[], lastOf: (id: string) => number | null = () => null): Promise<void> {
    const now = Date.now();
    const due = ids.filter((id) => now - (this.fetchedAt.get(id) ?? -Infinity) >= SPARK_FRESH_MS);
    for (const id of due) this.fetchedAt.set(id, now);
    const quiet = due.filter((id) => now - (lastOf(id) ?? now) > SPARK_WINDOW_S * 1000);
    const recent = due.filter((id) => !quiet.includes(id));
    await Promise.all([
      ...quiet.map((id) => this.fetch([id], () => this.lastDay(id, lastOf(id)!))),
      ...chunks(recent, SPARK_CHUNK).map((chunk) =>
        this.fetch(chunk, () => this.api.sparklines(chunk, SPARK_WINDOW_S, SPARK_POINTS)),
      ),
    ]);
  }

  private async lastDay(deviceId: string, last: number) {
    const series = await this.api.series([{ deviceId, metric: ALL_METRICS }], {
      from: last - QUIET_SPARK_WINDOW_MS,
      to: last + 1,
      maxPoints: SPARK_POINTS,
    });
    return series.map((s) => ({ deviceId, metric: s.metric, points: s.points }));
  }

  private async fetch(
    ids: string[],
    get: () => Promise<{ deviceId: string; metric: string; points: { t: number; avg: number }[] }[]>,
  ): Promise<void> {
    try {
      const series = await get();
      this.sparks.update((all) => {
        const next = { ...all };
        for (const s of series) {
          const k = sparkKey(s.deviceId, s.metric);
          const pts: Spark = s.points.map((p) => [p.t, p.avg] as const);
          const last = pts.length ? pts[pts.length - 1][0] : -Infinity;
          const live = (all[k] ?? []).filter(([t]) => t > last);
          next[k] = merge(pts, live);
        }
        return next;
      });
    } catch {
      // a missing sparkline is not worth an error state; the next change of the shown set tries again
      for (const id of ids) this.fetchedAt.delete(id);
    }
  }

  /** live readings extend their lines; points older than the window drop off */
  addLive(batch: LiveReading[]): void {
    const cutoff = Date.now() - SPARK_WINDOW_S * 1000;
    this.sparks.update((all) => {
      const next = { ...all };
      for (const r of batch) {
        const k = sparkKey(r.deviceId, r.metric);
        next[k] = merge(next[k] ?? [], [[liveReadingTime(r), r.value]]).filter(([t]) => t >= cutoff);
      }
      return next;
    });
  }
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function merge(a: Spark, b: Spark): Spark {
  const m = new Map<number, readonly [number, number]>();
  for (const p of a) m.set(p[0], p);
  for (const p of b) m.set(p[0], p);
  return [...m.values()].sort((x, y) => x[0] - y[0]);
}

/** The [low, high] of each metric over every device's sparkline. */
export function sparkRanges(all: Record<string, Spark>): Record<string, readonly [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [key, pts] of Object.entries(all)) {
    const metric = key.slice(key.indexOf('\u0000') + 1);
    for (const [, v] of pts) {
      const r = (out[metric] ??= [v, v]);
      if (v < r[0]) r[0] = v;
      if (v > r[1]) r[1] = v;
    }
  }
  return out;
}
