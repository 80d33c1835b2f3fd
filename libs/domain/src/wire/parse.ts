import { DEAD_LETTER_REASONS as R, DeadLetterReason } from './dead-letter-reason';
import { DEVICE_ID_PATTERN, METRIC_PATTERN, RESERVED_LEVELS } from './topics';

export interface ReadingRow {
  deviceId: string;
  metric: string;
  ts: Date;
  value: number;
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
    }
  | { ok: false; reason: DeadLetterReason; detail: string };

export interface ParseOptions {
  /** time of receipt; the default ts and the reference of the accepted window */
  now?: Date;
  /** oldest accepted ts, milliseconds before now (default 30 days) */
  maxAgeMs?: number;
  /** newest accepted ts, milliseconds after now (default 5 minutes) */
  maxSkewMs?: number;
  /** largest accepted payload in bytes (default 64 KiB) */
  maxPayloadBytes?: number;
}

export const PARSE_DEFAULTS = {
  maxAgeMs: 30 * 24 * 3600 * 1000,
  maxSkewMs: 5 * 60 * 1000,
  maxPayloadBytes: 64 * 1024,
} as const;

const MAX_STATUS_LENGTH = 64;
/** Numbers as sensors send them: no hex, no leading "+", no "Infinity". */
const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Invalid extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Parses one MQTT message of the wire contract (DESIGN.md) into rows to store, or a dead-letter reason.
 * Never throws: every malformed input becomes `{ ok: false, reason, detail }`.
 */
export function parseMessage(
  topic: string,
  payload: Buffer | Uint8Array,
  opts: ParseOptions = {},
): ParsedMessage {
  try {
    return parseOrThrow(topic, payload, opts);
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.reason, detail: e.message };
    throw e;
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

  const window = {
    now,
    maxAgeMs: opts.maxAgeMs ?? PARSE_DEFAULTS.maxAgeMs,
    maxSkewMs: opts.maxSkewMs ?? PARSE_DEFAULTS.maxSkewMs,
  };
  if (level === RESERVED_LEVELS.status) return parseStatus(deviceId, text);
  if (level === RESERVED_LEVELS.telemetry) return parseTelemetry(deviceId, text, window);
  return parseReading(deviceId, level, text, window);
}

function parseTopic(topic: string): { deviceId: string; level: string } {
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
  return { deviceId, level };
}

interface TimeWindow {
  now: Date;
  maxAgeMs: number;
  maxSkewMs: number;
}

function parseReading(deviceId: string, metric: string, text: string, window: TimeWindow): ParsedMessage {
  let value: unknown;
  let ts: unknown;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
    const json = parseJson(text);
    if (!isPlainObject(json)) throw new Invalid(R.invalidPayload, 'expected a number or {"value", "ts"}');
    if (!('value' in json)) throw new Invalid(R.invalidPayload, 'object has no "value"');
    const extra = Object.keys(json).filter((k) => k !== 'value' && k !== 'ts');
    if (extra.length) throw new Invalid(R.invalidPayload, `unexpected field "${clip(extra[0])}"`);
    value = json.value;
    ts = json.ts;
  } else {
    if (!NUMBER_TEXT.test(text)) throw new Invalid(R.invalidValue, `"${clip(text)}" is not a finite number`);
    value = Number(text);
  }
  const reading = { deviceId, metric, ts: toTimestamp(ts, window, 'ts'), value: toValue(value, 'value') };
  return { ok: true, kind: 'reading', deviceId, readings: [reading] };
}

function parseTelemetry(deviceId: string, text: string, window: TimeWindow): ParsedMessage {
  const json = parseJson(text);
  if (!isPlainObject(json)) throw new Invalid(R.invalidPayload, 'telemetry must be a JSON object');
  const allowed = new Set(['device_id', 'timestamp', 'measurements', 'status', 'battery']);
  const extra = Object.keys(json).filter((k) => !allowed.has(k));
  if (extra.length) throw new Invalid(R.invalidPayload, `unexpected field "${clip(extra[0])}"`);
  if (json.device_id !== undefined) {
    if (typeof json.device_id !== 'string') throw new Invalid(R.invalidPayload, 'device_id must be a string');
    if (json.device_id !== deviceId) {
      throw new Invalid(
        R.deviceIdMismatch,
        `device_id "${clip(json.device_id)}" differs from topic id "${deviceId}"`,
      );
    }
  }
  const ts = toTimestamp(json.timestamp, window, 'timestamp');
  if (!isPlainObject(json.measurements))
    throw new Invalid(R.invalidPayload, 'measurements must be an object');
  const readings: ReadingRow[] = [];
  for (const [metric, value] of Object.entries(json.measurements)) {
    if (!METRIC_PATTERN.test(metric)) {
      throw new Invalid(R.invalidMetric, `measurement "${clip(metric)}" must be 1-64 of [a-z0-9_]`);
    }
    readings.push({ deviceId, metric, ts, value: toValue(value, `measurements.${metric}`) });
  }
  const device: DeviceState = {};
  if (json.status !== undefined) {
    if (typeof json.status !== 'string' || json.status.length > MAX_STATUS_LENGTH) {
      throw new Invalid(
        R.invalidPayload,
        `status must be a string of at most ${MAX_STATUS_LENGTH} characters`,
      );
    }
    device.status = json.status;
  }
  if (json.battery !== undefined) {
    const b = json.battery;
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b > 100) {
      throw new Invalid(R.invalidBattery, 'battery must be a number from 0 to 100');
    }
    device.battery = b;
  }
  if (readings.length === 0 && device.status === undefined && device.battery === undefined) {
    throw new Invalid(R.invalidPayload, 'packet holds no measurement, status or battery');
  }
  return { ok: true, kind: 'telemetry', deviceId, readings, device };
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
    throw new Invalid(R.invalidValue, `${field} must be a finite number`);
  }
  return v;
}

function toTimestamp(v: unknown, window: TimeWindow, field: string): Date {
  if (v === undefined) return window.now;
  let ms: number;
  if (typeof v === 'number' && Number.isInteger(v)) {
    ms = v;
  } else if (typeof v === 'string' && ISO_8601.test(v)) {
    ms = Date.parse(v);
  } else {
    throw new Invalid(R.invalidTimestamp, `${field} must be ISO 8601 with a time zone or epoch milliseconds`);
  }
  if (!Number.isFinite(ms))
    throw new Invalid(R.invalidTimestamp, `${field} "${clip(String(v))}" is not a date`);
  const now = window.now.getTime();
  if (ms < now - window.maxAgeMs || ms > now + window.maxSkewMs) {
    throw new Invalid(
      R.timestampOutOfRange,
      `${field} ${new Date(ms).toISOString()} is outside the accepted window`,
    );
  }
  return new Date(ms);
}

/** Date and time with an explicit zone: a zone-less time would be read in the server's zone. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
