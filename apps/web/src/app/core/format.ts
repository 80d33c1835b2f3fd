/**
 * The one way the dashboard writes dates and numbers: the page's locale (British English: 29 Nov 2026, 14:05:09)
 * in the browser's time zone, so axis labels, tooltips, tables, notes and the range picker agree.
 */
export const LOCALE = 'en-GB';

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(timeZone: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(LOCALE, { timeZone, hourCycle: 'h23', ...opts })));
  return f;
}

/** `29 Nov 2026, 14:05:09` (or without seconds). */
export function formatTime(t: number, timeZone?: string, withSeconds = true): string {
  return dtf(timeZone, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(t);
}

/** `14:05` */
export function formatClock(t: number, timeZone?: string, withSeconds = false): string {
  return dtf(timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(t);
}

/** `29 Nov` */
export function formatDay(t: number, timeZone?: string): string {
  return dtf(timeZone, { month: 'short', day: 'numeric' }).format(t);
}

/** `29 Nov 2026` */
export function formatDate(t: number, timeZone?: string): string {
  return dtf(timeZone, { year: 'numeric', month: 'short', day: 'numeric' }).format(t);
}

/** Local time for file names: `2026-11-29T1405` (no colons), in the given zone. */
export function fileStamp(t: number, timeZone?: string): string {
  const parts = Object.fromEntries(
    dtf(timeZone, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}${parts['minute']}`;
}

// number formats by fraction digits: toLocaleString builds a new one per call, which axis labels and legends pay
// thousands of times per page
const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number): Intl.NumberFormat {
  const key = `${min}|${max}`;
  let f = numberFormats.get(key);
  if (!f)
    numberFormats.set(
      key,
      (f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: min, maximumFractionDigits: max })),
    );
  return f;
}

/** A value at the catalog's `decimals`, else at a precision that suits its size. */
export function formatValue(v: number, decimals?: number): string {
  if (decimals !== undefined) return nf(decimals, decimals).format(v);
  const a = Math.abs(v);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : 2;
  return nf(0, digits).format(v);
}

/** A value with its unit (`21.5 °C`), or the bare value when the metric has none. */
export function formatMeasure(v: number, unit?: string, decimals?: number): string {
  return unit ? `${formatValue(v, decimals)} ${unit}` : formatValue(v, decimals);
}
