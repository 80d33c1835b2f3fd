/** Time ranges of the detail page and their URL form (`range=24h`, or `from=…&to=…` ISO). */
export const PRESETS = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '24h', label: '24 h', ms: 86_400_000 },
  { key: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 d', ms: 30 * 86_400_000 },
] as const;

export type PresetKey = (typeof PRESETS)[number]['key'];
export const DEFAULT_PRESET: PresetKey = '24h';

export interface ResolvedRange {
  from: number;
  to: number;
  /** a preset: the range ends at "now" and live points are appended */
  live: boolean;
  preset: PresetKey | null;
}

export function isPreset(v: string | null | undefined): v is PresetKey {
  return PRESETS.some((p) => p.key === v);
}

/** From the URL's query values to a concrete range; anything invalid falls back to the default preset. */
export function resolveRange(
  q: { range?: string | null; from?: string | null; to?: string | null },
  now: number,
): ResolvedRange {
  if (q.from && q.to) {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (Number.isFinite(from) && Number.isFinite(to) && from < to)
      return { from, to, live: false, preset: null };
  }
  const preset = isPreset(q.range) ? q.range : DEFAULT_PRESET;
  const ms = PRESETS.find((p) => p.key === preset)!.ms;
  return { from: now - ms, to: now, live: true, preset };
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
