import { parseIsoTimestamp } from '../wire/parse';

/**
 * The time format of the REST API (query ranges, packets): ISO 8601 date and time with an explicit zone,
 * `2026-01-15T10:30:00Z`, `2026-01-15T12:30:00.250+02:00` (seconds and up to 9 fraction digits optional; offset
 * `±HH:MM` or `±HHMM`). A zone-less time would depend on who reads it, so it is refused here; so are impossible
 * calendar dates (`2026-02-31`), years outside 0100–9999 and anything `Date.parse` would guess at (`foo 12`, `12`).
 * In JSON bodies a number is epoch milliseconds, in the same years. The calendar check is the wire parser's
 * (parseIsoTimestamp), whose MQTT contract is laxer for constrained devices (zone-less UTC, epoch seconds).
 */
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$';
const ZONED = new RegExp(INSTANT_PATTERN);

/** 0100-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range of instants accepted. */
export const INSTANT_MIN_MS = -59_011_459_200_000;
export const INSTANT_MAX_MS = 253_402_300_799_999;

export const INSTANT_RULE = 'ISO 8601 date and time with a zone, e.g. 2026-01-15T10:30:00Z';

/** Milliseconds since the epoch of an ISO 8601 instant with zone, or null when `text` is anything else. */
export function parseInstant(text: string): number | null {
  if (!ZONED.test(text)) return null;
  const ms = parseIsoTimestamp(text);
  return ms !== undefined && ms >= INSTANT_MIN_MS && ms <= INSTANT_MAX_MS ? ms : null;
}

/** An epoch-milliseconds number as a time, or null when not an integer within the years 0100–9999. */
export function instantFromEpochMs(n: number): number | null {
  return Number.isInteger(n) && n >= INSTANT_MIN_MS && n <= INSTANT_MAX_MS ? n : null;
}
