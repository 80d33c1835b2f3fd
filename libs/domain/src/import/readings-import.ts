import { Readable, Writable } from 'node:stream';
import { once } from 'node:events';

import { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { DEVICE_ID_PATTERN, METRIC_PATTERN, RESERVED_LEVELS } from '@sensorhub/contracts';
import { EPOCH_SECONDS_BELOW, NUMBER_TEXT, PARSE_DEFAULTS, parseIsoTimestamp } from '../wire/parse';

export type ImportFormat = 'csv' | 'ndjson';

/** Stable codes of rejected lines. */
export const IMPORT_REJECT_REASONS = {
  invalidLine: 'INVALID_LINE',
  invalidJson: 'INVALID_JSON',
  invalidDeviceId: 'INVALID_DEVICE_ID',
  invalidMetric: 'INVALID_METRIC',
  invalidTimestamp: 'INVALID_TIMESTAMP',
  timestampOutOfRange: 'TIMESTAMP_OUT_OF_RANGE',
  invalidValue: 'INVALID_VALUE',
} as const;
type RejectReason = (typeof IMPORT_REJECT_REASONS)[keyof typeof IMPORT_REJECT_REASONS];

export interface RejectedLine {
  /** 1-based line of the file */
  line: number;
  reason: RejectReason;
  detail: string;
}

export interface ImportReport {
  /** data lines read (header and blank lines not counted) */
  lines: number;
  /** new readings stored */
  stored: number;
  /** valid lines whose (device_id, metric, ts) was already stored or came earlier in the file */
  duplicates: number;
  rejected: number;
  /** the first `maxErrorsListed` rejected lines */
  errors: RejectedLine[];
  seconds: number;
  rowsPerSecond: number;
}

export interface ImportOptions {
  format: ImportFormat;
  /** newest accepted ts, after now (the wire contract's skew; history has no lower bound) */
  maxSkewMs?: number;
  /** rows per staging round (COPY, then one INSERT … ON CONFLICT DO NOTHING in its own transaction) */
  chunkRows?: number;
  /**
   * connections that move one chunk together, the devices split between them (default: all of them, or half when
   * there are at least four: the other half then stages the next chunk while the first moves its own)
   */
  lanes?: number;
  maxErrorsListed?: number;
  now?: Date;
}

const R = IMPORT_REJECT_REASONS;
const CSV_HEADER = 'device_id,metric,ts,value';
/** the API's export adds the catalog's unit as a fifth column: read back, it is ignored */
const CSV_UNIT_HEADER = `${CSV_HEADER},unit`;
const RESERVED = new Set<string>(Object.values(RESERVED_LEVELS));
const FLUSH_BYTES = 256 * 1024;

class Rejected extends Error {
  constructor(
    readonly reason: RejectReason,
    detail: string,
  ) {
    super(detail);
  }
}

/** One connection's share of an import: its own staging table, COPY stream and pending text. */
interface Lane {
  client: ClientBase;
  copy?: Writable;
  buf: string;
  rows: number;
}

/** The lane of a device: a stable hash of its id, so each device's lines (keys, rollup rows) stay on one connection. */
function laneOf(deviceId: string, lanes: number): number {
  let h = 0;
  for (let i = 0; i < deviceId.length; i++) h = (h * 31 + deviceId.charCodeAt(i)) | 0;
  return (h >>> 0) % lanes;
}

/**
 * Imports readings (CSV `device_id,metric,ts,value`, header optional — or the API's export with its header
 * `device_id,metric,ts,value,unit`, the unit ignored — or NDJSON objects with those keys) from a
 * stream: each line validated as the wire contract validates a reading (ids, metric, finite value, ts ISO 8601 —
 * UTC without a zone — or epoch seconds or milliseconds, not in the future), the valid ones COPY'd into a staging table, then moved into readings with
 * ON CONFLICT DO NOTHING, so a second import of the same file adds nothing. Partitions for the imported weeks are
 * created first, each in its own short transaction; the rollups follow by the table's triggers.
 *
 * `clients` are connections used only by this call until it resolves. With two or more, the devices are split
 * between them by a hash of their id: each connection has its own staging table and moves its share in its own
 * transaction, at the same time as the others — PostgreSQL then inserts on several cores. The shares touch disjoint
 * keys, rollup rows and device rows, so they never wait on each other. A chunk is committed per connection: a
 * failure can leave another connection's share of that chunk stored, which a second import of the file completes.
 */
export async function importReadings(
  clients: ClientBase | ClientBase[],
  input: Readable,
  opts: ImportOptions,
): Promise<ImportReport> {
  const started = process.hrtime.bigint();
  const now = (opts.now ?? new Date()).getTime();
  const maxTs = now + (opts.maxSkewMs ?? PARSE_DEFAULTS.maxSkewMs);
  const chunkRows = opts.chunkRows ?? 500_000;
  const maxErrors = opts.maxErrorsListed ?? 1000;
  const report: ImportReport = {
    lines: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    errors: [],
    seconds: 0,
    rowsPerSecond: 0,
  };
  const parse: (line: string, maxTs: number, withUnit: boolean) => string =
    opts.format === 'csv' ? parseCsv : parseNdjson;
  const all: Lane[] = (Array.isArray(clients) ? clients : [clients]).map((client) => ({
    client,
    buf: '',
    rows: 0,
  }));
  if (!all.length) throw new Error('importReadings needs a connection');
  const width = opts.lanes ?? (all.length >= 4 ? Math.floor(all.length / 2) : all.length);
  // one set of lanes, or two taking chunks in turn (pipelined)
  const sets =
    all.length >= 2 * width ? [all.slice(0, width), all.slice(width, 2 * width)] : [all.slice(0, width)];
  let lanes = sets[0];
  /** the previous chunk's move, still running when pipelined: resolves to its error, if it failed */
  let moving: Promise<unknown> | undefined;

  for (const { client } of sets.flat()) {
    // the staging table lives in local buffers: 8 MB by default would spill a chunk to disk (settable only before
    // the session's first temporary table)
    await client.query(`SET temp_buffers = '256MB'`).catch(() => undefined);
    await client.query('DROP TABLE IF EXISTS pg_temp.readings_import');
    await client.query(
      `CREATE TEMP TABLE readings_import (device_id text, metric text, ts timestamptz, value float8, line bigint)`,
    );
  }
  let rows = 0;
  const flush = async (lane: Lane) => {
    if (!lane.buf) return;
    const ok = lane.copy!.write(lane.buf);
    lane.buf = '';
    if (!ok) await once(lane.copy!, 'drain');
  };
  /** Moves one lane's staged rows into readings in one transaction; the rows it stored. */
  const move = async ({ client }: Lane): Promise<number> => {
    await client.query('BEGIN');
    try {
      // in key order (index pages filled in turn; the first line of a key repeated in the file wins), sorted and
      // aggregated by the triggers in memory; COLLATE "C" sorts by bytes, the order of the key's index (the
      // database's C.UTF-8 or C) without a locale comparison per row
      await client.query(`SET LOCAL work_mem = '256MB'`);
      const res = await client.query(
        `INSERT INTO readings (device_id, metric, ts, value)
         SELECT device_id, metric, ts, value FROM readings_import
         ORDER BY device_id COLLATE "C", metric COLLATE "C", ts, line
         ON CONFLICT DO NOTHING`,
      );
      await client.query(
        `INSERT INTO devices (id, first_seen, last_seen)
         SELECT device_id, min(ts), max(ts) FROM readings_import GROUP BY 1 ORDER BY 1
         ON CONFLICT (id) DO UPDATE SET first_seen = LEAST(devices.first_seen, EXCLUDED.first_seen),
           last_seen = GREATEST(devices.last_seen, EXCLUDED.last_seen)`,
      );
      await client.query('COMMIT');
      return res.rowCount ?? 0;
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      await client.query('TRUNCATE readings_import');
    }
  };
  const finishChunk = async () => {
    for (const lane of lanes) {
      await flush(lane);
      if (lane.copy) {
        lane.copy.end();
        await once(lane.copy, 'finish');
        lane.copy = undefined;
      }
    }
    if (rows === 0) return;
    const valid = rows;
    rows = 0;
    const busy = lanes.filter((l) => l.rows > 0);
    // chunks move in file order (the first line of a key wins), and a partition is made while nothing inserts
    const failedBefore = await moving;
    moving = undefined;
    if (failedBefore) throw failedBefore;
    for (const lane of busy) {
      lane.rows = 0;
      // one lane after the other: creating a partition locks the parent table
      await lane.client.query(
        `SELECT sensorhub_ensure_partitions(w, w) FROM (
           SELECT DISTINCT sensorhub_partition_start(ts, (SELECT width FROM readings_partitioning)) AS w
           FROM readings_import) s`,
      );
    }
    moving = Promise.allSettled(busy.map(move)).then((moved) => {
      const stored = moved.reduce((n, m) => n + (m.status === 'fulfilled' ? m.value : 0), 0);
      report.stored += stored;
      report.duplicates += valid - stored;
      return moved.find((m): m is PromiseRejectedResult => m.status === 'rejected')?.reason;
    });
    if (sets.length === 2) lanes = sets[lanes === sets[0] ? 1 : 0];
    else {
      const failed = await moving;
      moving = undefined;
      if (failed) throw failed;
    }
  };

  try {
    let lineNo = 0;
    let rest = '';
    /** the header names a fifth column, the unit (as the API's export writes it) */
    let withUnit = false;
    /** the lane whose COPY buffer is full (the caller awaits `drain`) */
    let full: Lane | undefined;
    /** Takes one line; true when a COPY buffer or the chunk is full (the caller awaits `drain`). No promise per line. */
    const handle = (line: string): boolean => {
      lineNo++;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() === '') return false;
      if (
        lineNo === 1 &&
        opts.format === 'csv' &&
        (line.trim() === CSV_HEADER || line.trim() === CSV_UNIT_HEADER)
      ) {
        withUnit = line.trim() === CSV_UNIT_HEADER;
        return false;
      }
      report.lines++;
      let row: string;
      try {
        row = parse(line, maxTs, withUnit);
      } catch (e) {
        if (!(e instanceof Rejected)) throw e;
        report.rejected++;
        if (report.errors.length < maxErrors)
          report.errors.push({ line: lineNo, reason: e.reason, detail: e.message });
        return false;
      }
      const lane =
        lanes.length === 1 ? lanes[0] : lanes[laneOf(row.slice(0, row.indexOf('\t')), lanes.length)];
      lane.copy ??= lane.client.query(copyFrom('COPY readings_import FROM STDIN'));
      lane.buf += `${row}\t${lineNo}\n`;
      lane.rows++;
      rows++;
      if (lane.buf.length >= FLUSH_BYTES) full = lane;
      return full !== undefined || rows >= chunkRows;
    };
    const drain = async () => {
      if (rows >= chunkRows) await finishChunk();
      else if (full) await flush(full);
      full = undefined;
    };
    input.setEncoding('utf8');
    for await (const piece of input as AsyncIterable<string>) {
      const parts = (rest + piece).split('\n');
      rest = parts.pop()!;
      for (const line of parts) if (handle(line)) await drain();
    }
    if (rest !== '' && handle(rest)) await drain();
    await finishChunk();
    const failed = await moving;
    moving = undefined;
    if (failed) throw failed;
  } finally {
    await moving;
    for (const { client, copy } of sets.flat()) {
      if (copy) copy.destroy();
      await client.query('DROP TABLE IF EXISTS pg_temp.readings_import').catch(() => undefined);
    }
  }
  report.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  report.rowsPerSecond = Math.round(report.lines / report.seconds);
  return report;
}

/** A COPY text row (`device\tmetric\tISO ts\tvalue`) from a CSV line, or a Rejected. */
function parseCsv(line: string, maxTs: number, withUnit: boolean): string {
  const f = line.split(',');
  // under a unit header a fifth field is the unit (quoted if it holds a comma): informational, not stored
  const fits = withUnit ? f.length === 5 || (f.length > 5 && f[4].startsWith('"')) : f.length === 4;
  if (!fits)
    throw new Rejected(
      R.invalidLine,
      `expected ${withUnit ? 5 : 4} fields (${withUnit ? CSV_UNIT_HEADER : CSV_HEADER}), got ${f.length}`,
    );
  const [deviceId, metric, ts, value] = f.slice(0, 4).map(unquote);
  checkIds(deviceId, metric);
  const ms = /^-?\d+(\.\d+)?$/.test(ts) ? epochMs(Number(ts)) : parseIsoTimestamp(ts);
  if (ms === undefined)
    throw new Rejected(
      R.invalidTimestamp,
      `ts "${clip(ts)}" must be ISO 8601 or epoch seconds or milliseconds`,
    );
  if (!NUMBER_TEXT.test(value) || !Number.isFinite(Number(value)))
    throw new Rejected(R.invalidValue, `value "${clip(value)}" is not a finite number`);
  return `${deviceId}\t${metric}\t${checkTs(ms, ts, maxTs)}\t${value}`;
}

function parseNdjson(line: string, maxTs: number): string {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new Rejected(R.invalidJson, `not JSON: ${(e as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw new Rejected(R.invalidLine, 'expected an object {"device_id", "metric", "ts", "value"}');
  const { device_id: deviceId, metric, ts, value } = o as Record<string, unknown>;
  if (typeof deviceId !== 'string' || typeof metric !== 'string')
    throw new Rejected(R.invalidLine, 'device_id and metric must be strings');
  checkIds(deviceId, metric);
  const ms =
    typeof ts === 'number' ? epochMs(ts) : typeof ts === 'string' ? parseIsoTimestamp(ts) : undefined;
  if (ms === undefined)
    throw new Rejected(R.invalidTimestamp, 'ts must be ISO 8601 or epoch seconds or milliseconds');
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Rejected(R.invalidValue, 'value must be a finite number');
  return `${deviceId}\t${metric}\t${checkTs(ms, String(ts), maxTs)}\t${value}`;
}

/** Epoch seconds or milliseconds by magnitude, as the wire contract reads them. */
function epochMs(v: number): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  return Math.abs(v) < EPOCH_SECONDS_BELOW ? Math.round(v * 1000) : Math.floor(v);
}

function checkIds(deviceId: string, metric: string): void {
  if (!DEVICE_ID_PATTERN.test(deviceId))
    throw new Rejected(R.invalidDeviceId, `device_id "${clip(deviceId)}" must be 1-64 of [A-Za-z0-9_-]`);
  if (!METRIC_PATTERN.test(metric) || RESERVED.has(metric))
    throw new Rejected(
      R.invalidMetric,
      `metric "${clip(metric)}" must be 1-64 of [a-z0-9_], not a reserved level`,
    );
}

function checkTs(ms: number, text: string, maxTs: number): string {
  // Date's range is ±8.64e15 ms; PostgreSQL's timestamptz starts at 4713 BC, well inside it
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    throw new Rejected(R.invalidTimestamp, `ts "${clip(text)}" is not a date`);
  if (ms > maxTs)
    throw new Rejected(R.timestampOutOfRange, `ts ${new Date(ms).toISOString()} is in the future`);
  // a valid ts already written as toISOString writes it (`2026-01-01T00:00:00.000Z`, as exports are) goes as it is
  return isCanonicalIso(text) ? text : new Date(ms).toISOString();
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`: the shape of Date#toISOString for years 0–9999 (the caller checked it is a date). */
const isCanonicalIso = (t: string): boolean =>
  t.length === 24 &&
  t.charCodeAt(23) === 90 /* Z */ &&
  t.charCodeAt(10) === 84 /* T */ &&
  t.charCodeAt(19) === 46;

const unquote = (s: string): string =>
  s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"' ? s.slice(1, -1) : s;

const clip = (s: string, max = 80): string => (s.length > max ? `${s.slice(0, max)}…` : s);
