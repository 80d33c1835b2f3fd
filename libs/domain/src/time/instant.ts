/**
 * The one time format of SensorHub (query ranges, packets, readings): ISO 8601 date and time with an explicit zone,
 * `2026-01-15T10:30:00Z`, `2026-01-15T12:30:00.250+02:00` (seconds and up to 9 fraction digits optional; offset
 * `±HH:MM` or `±HHMM`). A zone-less time would depend on the server's zone, so it is refused; so are impossible
 * calendar dates (`2026-02-31`), years outside 0000–9999 (PostgreSQL and every client can hold these) and anything
 * `Date.parse` would guess at (`foo 12`, `12`). In JSON bodies a number is epoch milliseconds, in the same years.
 */
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$';

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range `parseInstant` returns. */
export const INSTANT_MIN_MS = -62_167_219_200_000;
export const INSTANT_MAX_MS = 253_402_300_799_999;

export const INSTANT_RULE = 'ISO 8601 date and time with a zone, e.g. 2026-01-15T10:30:00Z';

/** Milliseconds since the epoch of an ISO 8601 instant with zone, or null when `text` is anything else. */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offH = m[9] ? Number(m[9]) : 0;
  const offM = m[10] ? Number(m[10]) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  d.setUTCHours(hour, minute, second, ms);
  const sign = m[8] === '-' ? -1 : 1;
  const t = d.getTime() - sign * (offH * 60 + offM) * 60_000;
  return t >= INSTANT_MIN_MS && t <= INSTANT_MAX_MS ? t : null;
}

/** An epoch-milliseconds number as a time, or null when not an integer within the years 0000–9999. */
export function instantFromEpochMs(n: number): number | null {
  return Number.isInteger(n) && n >= INSTANT_MIN_MS && n <= INSTANT_MAX_MS ? n : null;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
