import * as contracts from '@sensorhub/contracts';
import type { DeadLetterReason, MetricInfo } from '@sensorhub/contracts';

// read once: the package's CommonJS re-exports are getters, and an imported name is read through one at each use
const { DEAD_LETTER_REASONS: R, DEVICE_ID_PATTERN, METRIC_PATTERN, RESERVED_LEVELS } = contracts;

export interface ReadingRow {
  deviceId: string;
  metric: string;
  ts: Date;
  value: number;
  /** microseconds past `ts`'s millisecond (0–999): keeps readings stamped with their time of receipt distinct */
  us?: number;
}

/** A reading's ts as PostgreSQL takes it, to the microsecond. */
export function readingTimestamp(r: ReadingRow): string {
  const iso = r.ts.toISOString();
  return r.us ? `${iso.slice(0, -1)}${String(r.us).padStart(3, '0')}Z` : iso;
}

export interface DeviceState {
  /** device-reported state string of a telemetry packet ("ok", "low_battery", …) */
  status?: string;
  battery?: number;
  /** presence from devices/{id}/status */
  online?: boolean;
}

export type ParsedMessage =
  | {
      ok: true;
      kind: 'reading' | 'telemetry' | 'status' | 'command';
      deviceId: string;
      readings: ReadingRow[];
      device?: DeviceState;
      /** the message had no ts: its readings carry the time of receipt */
      stamped?: boolean;
    }
  | {
      ok: false;
      reason: DeadLetterReason;
      detail: string;
      /** the payload field at fault, dotted for nested ones (`measurements.temperature`); absent: the whole payload */
      field?: string;
    };

export interface ParseOptions {
  /** time of receipt; the default ts and the reference of the accepted window */
  now?: Date;
  /** oldest accepted ts, milliseconds before now (default 30 days) */
  maxAgeMs?: number;
  /** newest accepted ts, milliseconds after now (default 5 minutes) */
  maxSkewMs?: number;
  /** largest accepted payload in bytes (default 64 KiB) */
  maxPayloadBytes?: number;
  /** most measurements in one telemetry packet (default 100) */
  maxMeasurements?: number;
  /** physical bounds per metric (the metric catalog) */
  catalog?: { get(name: string): MetricInfo | undefined };
  /** refuse metrics the catalog does not list */
  requireKnownMetrics?: boolean;
}

export const PARSE_DEFAULTS = {
  maxAgeMs: 30 * 24 * 3600 * 1000,
  maxSkewMs: 5 * 60 * 1000,
  maxPayloadBytes: 64 * 1024,
  maxMeasurements: 64,
} as const;

/**
 * Largest accepted |value|. Beyond 2^53 a float8 no longer holds integers exactly, and values near float8's limit
 * overflow rollup sums (a whole batch would then fail): 1e15 leaves room for 10^293 readings per bucket.
 */
export const MAX_ABS_VALUE = 1e15;

/**
 * Numeric timestamps below this are epoch seconds, from it up epoch milliseconds: 1e11 s is the year 5138,
 * 1e11 ms is 1973-03-03, so no timestamp in the accepted window is ambiguous.
 */
export const EPOCH_SECONDS_BELOW = 1e11;

const MAX_STATUS_LENGTH = 64;
/** C0 controls and DEL: PostgreSQL text refuses NUL, and none of them belong in a status word */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** Numbers as sensors send them: no hex, no leading "+", no "Infinity". */
export const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Invalid extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    detail: string,
    readonly field?: string,
  ) {
    super(detail);
  }
}

/**
 * Parses one MQTT message of the wire contract (DESIGN.md) into rows to store, or a dead-letter reason.
 * Never throws: every malformed input becomes `{ ok: false, reason, detail, field? }`.
 */
export function parseMessage(
  topic: string,
  payload: Buffer | Uint8Array,
  opts: ParseOptions = {},
): ParsedMessage {
  try {
    return parseOrThrow(topic, payload, opts);
  } catch (e) {
    if (e instanceof Invalid)
      return e.field === undefined
        ? { ok: false, reason: e.reason, detail: e.message }
        : { ok: false, reason: e.reason, detail: e.message, field: e.field };
    // a bug here must not become a message that is redelivered forever
    return {
      ok: false,
      reason: R.handlerError,
      detail: `parser failed: ${String((e as Error)?.message ?? e)}`,
    };
  }
}

function parseOrThrow(topic: string, payload: Buffer | Uint8Array, opts: ParseOptions): ParsedMessage {
  const now = opts.now ?? new Date();
  const { deviceId, level } = parseTopic(topic);
  const maxBytes = opts.maxPayloadBytes ?? PARSE_DEFAULTS.maxPayloadBytes;
  if (payload.length > maxBytes) {
    throw new Invalid(R.payloadTooLarge, `payload is ${payload.length} bytes, the limit is ${maxBytes}`);
  }
  if (level === RESERVED_LEVELS.command) {
    // our own commands to devices travel under devices/#: not data, not an error
    return { ok: true, kind: 'command', deviceId, readings: [] };
  }
  let text: string;
  try {
    text = utf8.decode(payload).trim();
  } catch {
    throw new Invalid(R.invalidEncoding, 'payload is not UTF-8 text');
  }
  if (text === '') throw new Invalid(R.emptyPayload, 'payload is empty');

  const window: TimeWindow = {
    now,
    maxAgeMs: opts.maxAgeMs ?? PARSE_DEFAULTS.maxAgeMs,
    maxSkewMs: opts.maxSkewMs ?? PARSE_DEFAULTS.maxSkewMs,
    catalog: opts.catalog,
    requireKnownMetrics: opts.requireKnownMetrics ?? false,
  };
  if (level === RESERVED_LEVELS.status) return parseStatus(deviceId, text);
  if (level === RESERVED_LEVELS.telemetry)
    return parseTelemetry(deviceId, text, window, opts.maxMeasurements ?? PARSE_DEFAULTS.maxMeasurements);
  return parseReading(deviceId, level, text, window);
}

/** Checked topics and their parts: topics repeat (devices × metrics), and the parts are then shared, not copied. */
const TOPICS = new Map<string, { deviceId: string; level: string }>();
const TOPICS_KEPT = 20_000;

function parseTopic(topic: string): { deviceId: string; level: string } {
  const known = TOPICS.get(topic);
  if (known) return known;
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'devices') {
    throw new Invalid(R.invalidTopic, `topic "${clip(topic)}" is not devices/{id}/{metric}`);
  }
  const [, deviceId, level] = parts;
  if (!DEVICE_ID_PATTERN.test(deviceId)) {
    throw new Invalid(R.invalidTopic, `device id "${clip(deviceId)}" must be 1-64 of [A-Za-z0-9_-]`);
  }
  if (!METRIC_PATTERN.test(level)) {
    throw new Invalid(R.invalidTopic, `metric "${clip(level)}" must be 1-64 of [a-z0-9_]`);
  }
  if (TOPICS.size >= TOPICS_KEPT) TOPICS.clear();
  const parsed = { deviceId, level };
  TOPICS.set(topic, parsed);
  return parsed;
}

/** What a message is checked against besides its own shape: the clock and the metric catalog. */
interface TimeWindow {
  now: Date;
  maxAgeMs: number;
  maxSkewMs: number;
  catalog?: { get(name: string): MetricInfo | undefined };
  requireKnownMetrics: boolean;
}

function parseReading(deviceId: string, metric: string, text: string, window: TimeWindow): ParsedMessage {
  let value: unknown;
  let ts: unknown;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
    const json = parseJson(text);
    if (!isPlainObject(json)) throw new Invalid(R.invalidPayload, 'expected a number or {"value", "ts"}');
    if (!('value' in json)) throw new Invalid(R.invalidPayload, 'object has no "value"', 'value');
    const extra = firstKeyNotIn(json, READING_FIELDS);
    if (extra !== undefined) throw new Invalid(R.invalidPayload, `unexpected field "${clip(extra)}"`, extra);
    value = json.value;
    ts = json.ts;
  } else {
    if (!NUMBER_TEXT.test(text)) throw new Invalid(R.invalidValue, `"${clip(text)}" is not a finite number`);
    value = Number(text);
  }
  const reading = {
    deviceId,
    metric,
    ts: toTimestamp(ts, window, 'ts'),
    value: withinBounds(metric, toValue(value, 'value'), window, 'value'),
  };
  return ts === undefined
    ? { ok: true, kind: 'reading', deviceId, readings: [reading], stamped: true }
    : { ok: true, kind: 'reading', deviceId, readings: [reading] };
}

/** Telemetry fields; `battery_level` is the original specification's name for `battery`. */
const TELEMETRY_FIELDS = new Set([
  'device_id',
  'timestamp',
  'measurements',
  'status',
  'battery',
  'battery_level',
]);

function parseTelemetry(
  deviceId: string,
  text: string,
  window: TimeWindow,
  maxMeasurements: number,
): ParsedMessage {
  const json = parseJson(text);
  if (!isPlainObject(json)) throw new Invalid(R.invalidPayload, 'telemetry must be a JSON object');
  const extra = firstKeyNotIn(json, TELEMETRY_FIELDS);
  if (extra !== undefined) throw new Invalid(R.invalidPayload, `unexpected field "${clip(extra)}"`, extra);
  if (json.battery !== undefined && json.battery_level !== undefined) {
    throw new Invalid(R.invalidPayload, 'battery and battery_level are the same field: send one', 'battery');
  }
  if (json.device_id !== undefined) {
    if (typeof json.device_id !== 'string')
      throw new Invalid(R.invalidPayload, 'device_id must be a string', 'device_id');
    if (json.device_id !== deviceId) {
      throw new Invalid(
        R.deviceIdMismatch,
        `device_id "${clip(json.device_id)}" differs from topic id "${deviceId}"`,
        'device_id',
      );
    }
  }
  const ts = toTimestamp(json.timestamp, window, 'timestamp');
  if (!isPlainObject(json.measurements))
    throw new Invalid(R.invalidPayload, 'measurements must be an object', 'measurements');
  const entries = Object.entries(json.measurements);
  if (entries.length > maxMeasurements) {
    throw new Invalid(
      R.invalidPayload,
      `packet holds ${entries.length} measurements, the limit is ${maxMeasurements}`,
      'measurements',
    );
  }
  const readings: ReadingRow[] = [];
  for (const [metric, value] of entries) {
    if (!METRIC_PATTERN.test(metric)) {
      throw new Invalid(
        R.invalidMetric,
        `measurement "${clip(metric)}" must be 1-64 of [a-z0-9_]`,
        `measurements.${metric}`,
      );
    }
    readings.push({
      deviceId,
      metric,
      ts,
      value: withinBounds(metric, toValue(value, `measurements.${metric}`), window, `measurements.${metric}`),
    });
  }
  const device: DeviceState = {};
  if (json.status !== undefined) {
    if (
      typeof json.status !== 'string' ||
      json.status.length > MAX_STATUS_LENGTH ||
      CONTROL_CHARS.test(json.status)
    ) {
      throw new Invalid(
        R.invalidPayload,
        `status must be a string of at most ${MAX_STATUS_LENGTH} characters without control characters`,
        'status',
      );
    }
    device.status = json.status;
  }
  const b = json.battery !== undefined ? json.battery : json.battery_level;
  if (b !== undefined) {
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b > 100) {
      throw new Invalid(R.invalidBattery, 'battery must be a number from 0 to 100', 'battery');
    }
    device.battery = b;
  }
  if (readings.length === 0 && device.status === undefined && device.battery === undefined) {
    throw new Invalid(R.invalidPayload, 'packet holds no measurement, status or battery', 'measurements');
  }
  return { ok: true, kind: 'telemetry', deviceId, readings, device, ...stampedIf(json.timestamp) };
}

function parseStatus(deviceId: string, text: string): ParsedMessage {
  if (text !== 'online' && text !== 'offline') {
    throw new Invalid(R.invalidStatus, `status "${clip(text)}" is not online or offline`);
  }
  return { ok: true, kind: 'status', deviceId, readings: [], device: { online: text === 'online' } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Invalid(R.invalidJson, `payload is not valid JSON: ${(e as Error).message}`);
  }
}

function toValue(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Invalid(R.invalidValue, `${field} must be a finite number`, field);
  }
  if (Math.abs(v) > MAX_ABS_VALUE) {
    throw new Invalid(R.outOfRange, `${field} ${v} is beyond ±${MAX_ABS_VALUE}`, field);
  }
  return v;
}

/** The metric catalog's verdict: a known metric's value within its physical bounds. */
function withinBounds(metric: string, v: number, window: TimeWindow, field: string): number {
  const info = window.catalog?.get(metric);
  if (!info) {
    if (window.requireKnownMetrics)
      throw new Invalid(R.unknownMetric, `metric "${metric}" is not in the metric catalog`, field);
    return v;
  }
  if ((info.min !== undefined && v < info.min) || (info.max !== undefined && v > info.max)) {
    const unit = info.unit ? ` ${info.unit}` : '';
    throw new Invalid(
      R.outOfRange,
      `${metric} ${v}${unit} is outside its bounds [${info.min ?? '-∞'}, ${info.max ?? '∞'}]${unit}`,
      field,
    );
  }
  return v;
}

/**
 * ISO 8601 (a zone-less time is UTC) or epoch seconds/milliseconds by magnitude (EPOCH_SECONDS_BELOW). The window
 * is checked on plain numbers before any Date exists, so no input can make a Date method throw.
 */
function toTimestamp(v: unknown, window: TimeWindow, field: string): Date {
  if (v === undefined) return window.now;
  let ms: number;
  if (typeof v === 'number' && Number.isFinite(v)) {
    ms = Math.abs(v) < EPOCH_SECONDS_BELOW ? Math.round(v * 1000) : Math.floor(v);
  } else if (typeof v === 'string') {
    const parsed = parseIsoTimestamp(v);
    if (parsed === undefined)
      throw new Invalid(
        R.invalidTimestamp,
        `${field} "${clip(v)}" must be ISO 8601 (UTC when it has no zone) or epoch seconds or milliseconds`,
        field,
      );
    ms = parsed;
  } else {
    throw new Invalid(
      R.invalidTimestamp,
      `${field} must be ISO 8601 (UTC when it has no zone) or epoch seconds or milliseconds`,
      field,
    );
  }
  const now = window.now.getTime();
  if (!(ms >= now - window.maxAgeMs && ms <= now + window.maxSkewMs)) {
    throw new Invalid(
      R.timestampOutOfRange,
      `${field} ${typeof v === 'string' ? `"${clip(v)}"` : v} is outside the accepted window ` +
        `[${new Date(now - window.maxAgeMs).toISOString()}, ${new Date(now + window.maxSkewMs).toISOString()}]`,
      field,
    );
  }
  return new Date(ms);
}

/** Date, time and an optional zone (none means UTC); a space may stand for the T. */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Milliseconds since the epoch of a strict ISO 8601 date-time, or undefined: a date that does not exist
 * (2026-02-31, 24:00, a zone of +25:00) is refused rather than rolled over as Date.parse does.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const zh = Number(zone.slice(1, 3));
    const zm = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    if (zh > 14 || zm > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0–99 to 1900–1999; timestamps that old are out of every window anyway
  return year < 100 ? undefined : utc - offset;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days of `month` (1–12) in `year` of the proleptic Gregorian calendar, as Date counts them. */
function daysInMonth(year: number, month: number): number {
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1];
}

/** `{ stamped: true }` when a message had no timestamp, so clean results stay as they were. */
const stampedIf = (ts: unknown): { stamped?: true } => (ts === undefined ? { stamped: true } : {});

const READING_FIELDS = new Set(['value', 'ts']);

/** The first key of `o` (in Object.keys order) that `allowed` does not hold. */
function firstKeyNotIn(o: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
  for (const k in o) if (!allowed.has(k)) return k;
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
