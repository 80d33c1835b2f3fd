import * as fs from 'node:fs';
import * as path from 'node:path';

import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { createStream, RotatingFileStream } from 'rotating-file-stream';

import { LOG_LEVELS, LogLevel } from '../config/validate-env';

/** How long an identical line is held back after it was written, and how many distinct lines are tracked. */
export const REPEAT_WINDOW_MS = 60_000;
const MAX_TRACKED = 1000;

/** Nest's level names, kept in the output (`"level":"log"`), on pino's numeric scale. */
const LEVEL_VALUES: Record<LogLevel, number> = { error: 50, warn: 40, log: 30, debug: 20, verbose: 10 };

/**
 * Fields that hold secrets wherever a caller might put them (a config object, a request's headers, an error's
 * options): pino replaces their values before the line is written.
 */
export const REDACT_PATHS = [
  'password',
  'token',
  'secret',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.cookie',
  '*["set-cookie"]',
  '*.*.authorization',
  '*.*.cookie',
  'JWT_SECRET',
  'DATABASE_URL',
  'DATABASE_PASSWORD',
  'MQTT_PASSWORD',
  'ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'REDIS_URL',
  'REDIS_PASSWORD',
  'ALERT_WEBHOOK_SECRET',
  '*.JWT_SECRET',
  '*.DATABASE_URL',
  '*.MQTT_PASSWORD',
  '*.ADMIN_PASSWORD',
  '*.METRICS_TOKEN',
  '*.ALERT_WEBHOOK_SECRET',
];

export interface LoggerOptions {
  /** `app` field of every line (api, ingest) */
  app?: string;
  /** also write to this file, rotated by size: `server.log`, then `server.log.1` … */
  file?: string;
  /** rotate the file past this size: a number and B, K, M or G (`10M`) */
  maxSize?: string;
  /** files kept in all, the one being written included */
  maxFiles?: number;
  /** human-readable, coloured output; default: when stdout is a terminal */
  pretty?: boolean;
  now?: () => number;
}

interface Repeat {
  until: number;
  suppressed: number;
  entry: Record<string, unknown>;
}

/**
 * The logger of both apps, a Nest LoggerService over pino: one JSON object per line (`time`, `level`, `app`,
 * `context`, `msg`, fields) on stdout, errors on stderr, pretty on a terminal, and optionally to a file rotated by
 * size and count. A line identical to one written less than REPEAT_WINDOW_MS ago (same level, context and fields: an
 * unreachable broker retried every second) is held back and counted; the count is written once the window ends
 * (`repeated`). Secret fields are redacted (REDACT_PATHS); callers still pass no headers, bodies or tokens.
 */
export class JsonLogger implements LoggerService {
  private rank: number;
  private readonly repeats = new Map<string, Repeat>();
  private flushTimer?: NodeJS.Timeout;
  private readonly pino: Logger<keyof typeof LEVEL_VALUES, boolean>;
  private readonly file?: RotatingFileStream;
  private readonly now: () => number;
  /** the level of the line pino is writing (pino writes synchronously to our destination) */
  private writing: LogLevel = 'log';

  constructor(level: LogLevel = 'log', opts: LoggerOptions = {}) {
    this.rank = LOG_LEVELS.indexOf(level);
    this.now = opts.now ?? Date.now;
    if (opts.file) this.file = openRotating(opts.file, opts.maxSize ?? '10M', opts.maxFiles ?? 5);
    const pretty = (opts.pretty ?? process.stdout.isTTY === true) ? prettyPrinter() : undefined;
    const destination = {
      write: (line: string) => {
        const out = this.writing === 'error' ? process.stderr : process.stdout;
        out.write(pretty ? pretty(line) : line);
        this.file?.write(line);
      },
    };
    this.pino = pino(
      {
        level: 'verbose',
        customLevels: LEVEL_VALUES,
        useOnlyCustomLevels: true,
        base: opts.app ? { app: opts.app } : {},
        messageKey: 'msg',
        timestamp: () => `,"time":"${new Date(this.now()).toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      },
      destination,
    );
  }

  setLevel(level: LogLevel): void {
    this.rank = LOG_LEVELS.indexOf(level);
  }

  get level(): LogLevel {
    return LOG_LEVELS[this.rank];
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  /** Writes the counts of lines still held back (before exit, and by the timer once their window ended). */
  flush(all = true): void {
    const now = this.now();
    for (const [key, r] of this.repeats) {
      if (!all && now < r.until) continue;
      this.repeats.delete(key);
      if (r.suppressed) this.emit({ ...r.entry, repeated: r.suppressed, windowMs: REPEAT_WINDOW_MS });
    }
    if (!this.repeats.size && this.flushTimer) {
      clearInterval(this.flushTimer);
      this.flushTimer = undefined;
    }
  }

  /** flush(), then waits until the log file has everything (before process.exit). */
  async close(): Promise<void> {
    this.flush();
    const file = this.file;
    if (!file || file.destroyed || file.writableFinished) return;
    await new Promise<void>((resolve) => {
      file.once('finish', resolve).once('error', () => resolve());
      file.end();
    });
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LOG_LEVELS.indexOf(level) > this.rank) return;
    // Nest passes (message, context) or (message, stack, context)
    const context =
      rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = { context };
    if (message !== null && typeof message === 'object' && !(message instanceof Error))
      Object.assign(entry, message);
    else entry.msg = message instanceof Error ? message.message : String(message);
    entry.level = level; // pino's method: a caller's own `level` field cannot replace it
    // a system error (ECONNREFUSED, ENOTFOUND…) says all in its message; a stack only helps for a bug
    if (message instanceof Error && message.stack && !('syscall' in message)) entry.stack = message.stack;
    if (typeof rest[0] === 'string') entry.stack = rest[0];

    const key = JSON.stringify(entry);
    const now = this.now();
    const seen = this.repeats.get(key);
    if (seen && now < seen.until) {
      seen.suppressed++;
      return;
    }
    if (seen) {
      this.repeats.delete(key);
      if (seen.suppressed) entry.repeated = seen.suppressed;
    }
    if (this.repeats.size >= MAX_TRACKED) {
      // forget the oldest line (Map keeps insertion order), writing its count first
      const [oldKey, old] = this.repeats.entries().next().value as [string, Repeat];
      this.repeats.delete(oldKey);
      if (old.suppressed) this.emit({ ...old.entry, repeated: old.suppressed, windowMs: REPEAT_WINDOW_MS });
    }
    const plain = { ...entry };
    delete plain.repeated;
    this.repeats.set(key, { until: now + REPEAT_WINDOW_MS, suppressed: 0, entry: plain });
    this.flushTimer ??= setInterval(() => this.flush(false), 5000).unref();
    this.emit(entry);
  }

  private emit(entry: Record<string, unknown>): void {
    const { level, ...fields } = entry as { level: LogLevel } & Record<string, unknown>;
    this.writing = level;
    this.pino[level](fields);
  }
}

/** The logger an app builds from its configuration (LOG_LEVEL, LOG_FILE, LOG_MAX_SIZE, LOG_MAX_FILES). */
export function createLogger(
  app: string,
  config: { LOG_LEVEL: LogLevel; LOG_FILE?: string; LOG_MAX_SIZE?: string; LOG_MAX_FILES?: number },
): JsonLogger {
  return new JsonLogger(config.LOG_LEVEL, {
    app,
    file: config.LOG_FILE,
    maxSize: config.LOG_MAX_SIZE,
    maxFiles: config.LOG_MAX_FILES,
  });
}

function openRotating(file: string, maxSize: string, maxFiles: number): RotatingFileStream {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const stream = createStream(path.basename(file), {
    path: dir,
    size: maxSize.toUpperCase() as `${number}M`,
    // logrotate's behaviour: server.log is the file being written, server.log.1 … the older ones
    rotate: Math.max(1, maxFiles - 1),
    mode: 0o640,
  });
  // a full disk or a removed directory must not stop the app: the lines still reach stdout (the journal)
  stream.on('error', (err) => process.stderr.write(`log file ${file}: ${err.message}\n`));
  return stream;
}

function prettyPrinter(): (line: string) => string {
  const format = prettyFactory({
    colorize: true,
    messageKey: 'msg',
    customLevels: LEVEL_VALUES,
    useOnlyCustomProps: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return (line) => format(line);
}
