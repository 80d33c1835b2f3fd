/**
 * The one way the dashboard writes dates and numbers: in the browser's language (set once at start-up by
 * usePageLocale, so the page agrees with the browser's own date-time fields, which Chromium writes in that language)
 * and the browser's time zone. British English (29 Nov 2026, 14:05:09) until then, and for a language Intl lacks.
 */
export const DEFAULT_LOCALE = 'en-GB';
let locale = DEFAULT_LOCALE;

/** The locale the page writes in. */
export function pageLocale(): string {
  return locale;
}

/** Writes the page in the first of the browser's languages (navigator.languages) that Intl knows, else en-GB. */
export function usePageLocale(languages: readonly string[] | undefined): string {
  const first = languages?.[0];
  let next = DEFAULT_LOCALE;
  try {
    if (first && Intl.DateTimeFormat.supportedLocalesOf([first]).length > 0) next = first;
  } catch {
    // not a well-formed language tag (RangeError): keep the default
  }
  if (next !== locale) {
    locale = next;
    cache.clear();
    numberFormats.clear();
  }
  return locale;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(
  timeZone: string | undefined,
  opts: Intl.DateTimeFormatOptions,
  lang = locale,
): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone ?? ''}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(lang, { timeZone, ...opts })));
  return f;
}

/** `29 Nov 2026, 14:05:09` (or without seconds); en-US: `Nov 29, 2026, 02:05:09 PM`. */
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

/** `14:05` (en-US: `02:05 PM`) */
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

/** Whether `t` is midnight in the zone (an axis marks the day there), whatever the page's clock looks like. */
export function isMidnight(t: number, timeZone?: string): boolean {
  return (
    dtf(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, DEFAULT_LOCALE).format(t) ===
    '00:00'
  );
}

/** Local time for file names, whatever the page's language: `2026-11-29T1405` (24-hour, no colons), in the given zone. */
export function fileStamp(t: number, timeZone?: string): string {
  const parts = Object.fromEntries(
    dtf(
      timeZone,
      {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      },
      DEFAULT_LOCALE,
    )
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
      (f = new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max })),
    );
  return f;
}

/** A count or size with at most `maxDigits` fraction digits (`1,234`, `2.5`). */
export function formatNumber(v: number, maxDigits = 0): string {
  return nf(0, maxDigits).format(v);
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

const names = new Intl.Collator(DEFAULT_LOCALE, { numeric: true });
/** Names in natural order, numbers by value: probe_8 before probe_10. */
export function compareNames(a: string, b: string): number {
  return names.compare(a, b);
}
