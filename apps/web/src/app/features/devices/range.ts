/**
 * Time ranges of the detail page and their URL form: a relative range `range=now-7d` (ends now, follows live data)
 * or an absolute one `from=…&to=…` (ISO 8601).
 */
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const RELATIVE = /^now-(\d{1,4})([mhd])$/;
/** the longest relative range: a year */
const MAX_SPAN_MS = 366 * 86_400_000;

/** The quick ranges of the time picker. */
export const QUICK_RANGES = [
  { key: 'now-15m', label: '15 min' },
  { key: 'now-1h', label: '1 h' },
  { key: 'now-6h', label: '6 h' },
  { key: 'now-24h', label: '24 h' },
  { key: 'now-7d', label: '7 d' },
  { key: 'now-30d', label: '30 d' },
] as const;

export const DEFAULT_RANGE = 'now-24h';

export interface ResolvedRange {
  from: number;
  to: number;
  /** a relative range: it ends at "now" and live points are appended */
  live: boolean;
  /** the relative range as in the URL (`now-7d`), null for an absolute one */
  relative: string | null;
}

/** The span of a relative range (`now-7d`, or the older `7d`) in ms; null when it is not one. */
export function relativeSpan(v: string | null | undefined): number | null {
  const m = RELATIVE.exec(normalizeRelative(v) ?? '');
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as Unit];
  return ms > 0 && ms <= MAX_SPAN_MS ? ms : null;
}

/** `7d` (links made before relative ranges) reads as `now-7d`. */
function normalizeRelative(v: string | null | undefined): string | null {
  if (!v) return null;
  return v.startsWith('now-') ? v : `now-${v}`;
}

/** From the URL's query values to a concrete range; anything invalid falls back to the default range. */
export function resolveRange(
  q: { range?: string | null; from?: string | null; to?: string | null },
  now: number,
): ResolvedRange {
  if (q.from && q.to) {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (Number.isFinite(from) && Number.isFinite(to) && from < to)
      return { from, to, live: false, relative: null };
  }
  const span = relativeSpan(q.range);
  const relative = span === null ? DEFAULT_RANGE : normalizeRelative(q.range)!;
  return { from: now - (span ?? relativeSpan(DEFAULT_RANGE)!), to: now, live: true, relative };
}

/** `now-7d` → "Last 7 days". */
export function relativeLabel(relative: string): string {
  const m = RELATIVE.exec(relative);
  if (!m) return relative;
  const n = Number(m[1]);
  const word = { m: 'minute', h: 'hour', d: 'day' }[m[2] as Unit];
  return `Last ${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A span as a relative range in the largest whole unit: 14 days → `now-14d`, 90 min → `now-90m`. */
export function relativeOf(spanMs: number): string {
  for (const u of ['d', 'h', 'm'] as const)
    if (spanMs % UNIT_MS[u] === 0) return `now-${spanMs / UNIT_MS[u]}${u}`;
  return `now-${Math.max(1, Math.round(spanMs / UNIT_MS.m))}m`;
}

/**
 * The range moved by half its span back (−1) or forward (+1), as an absolute range; never past `now` (a move
 * forward that would reach it is cut to end there).
 */
export function shiftRange(
  r: Pick<ResolvedRange, 'from' | 'to'>,
  dir: -1 | 1,
  now: number,
): { from: number; to: number } {
  const span = r.to - r.from;
  const to = Math.min(r.to + (dir * span) / 2, now);
  return { from: to - span, to };
}

/**
 * The range at twice its span, around its middle, never past `now`; a relative range stays relative (`now-7d` →
 * `now-14d`) within the one-year limit.
 */
export function zoomOutRange(
  r: ResolvedRange,
  now: number,
): { relative: string } | { from: number; to: number } {
  const span = r.to - r.from;
  if (r.relative) return { relative: relativeOf(Math.min(span * 2, MAX_SPAN_MS)) };
  const to = Math.min(r.to + span / 2, now);
  return { from: to - span * 2, to };
}

/**
 * The day that ends at a device's last reading (`to` rounded up to the next whole minute: the api's `to` is
 * exclusive), when that reading is older than the range shown, so a quiet device's page can offer its last data;
 * null when the range reaches the reading or there is none.
 */
export function lastDayBefore(
  last: number | null,
  r: Pick<ResolvedRange, 'from'>,
): { from: number; to: number; last: number } | null {
  if (last === null || last >= r.from) return null;
  const to = Math.floor(last / UNIT_MS.m) * UNIT_MS.m + UNIT_MS.m;
  return { from: to - UNIT_MS.d, to, last };
}

/** The auto-refresh choices (`refresh=30s` in the URL). */
export const REFRESH_CHOICES = [
  { key: 'off', label: 'Off', ms: 0 },
  { key: '10s', label: '10 s', ms: 10_000 },
  { key: '30s', label: '30 s', ms: 30_000 },
  { key: '1m', label: '1 min', ms: 60_000 },
  { key: '5m', label: '5 min', ms: 300_000 },
] as const;

/** The auto-refresh interval in ms for the URL's value; 0 (off) for anything else. */
export function refreshMs(v: string | null | undefined): number {
  return REFRESH_CHOICES.find((c) => c.key === v)?.ms ?? 0;
}

/** A zoom window from the URL (`zoomFrom`, `zoomTo`, ISO); null when absent or invalid. */
export function parseZoom(
  zoomFrom: string | null | undefined,
  zoomTo: string | null | undefined,
): { start: number; end: number } | null {
  const start = Date.parse(zoomFrom ?? '');
  const end = Date.parse(zoomTo ?? '');
  return Number.isFinite(start) && Number.isFinite(end) && start < end ? { start, end } : null;
}

/** Value for an <input type="datetime-local"> in the browser's zone. */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parses <input type="datetime-local"> (browser zone); NaN if empty. */
export function fromLocalInput(v: string): number {
  return v ? new Date(v).getTime() : NaN;
}

/** How many points to ask for: about one per 2 px of chart width, within the API's limits. */
export function maxPointsFor(widthPx: number): number {
  return Math.max(100, Math.min(2000, Math.round(widthPx / 2)));
}
