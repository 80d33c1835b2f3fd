import type { LoggerService } from '@nestjs/common';

import { LOG_LEVELS, LogLevel } from '../config/validate-env';

/** How long an identical line is held back after it was written, and how many distinct lines are tracked. */
export const REPEAT_WINDOW_MS = 60_000;
const MAX_TRACKED = 1000;

interface Repeat {
  until: number;
  suppressed: number;
  entry: Record<string, unknown>;
}

/**
 * The log format of both apps: one JSON object per line on stdout (errors on stderr), never colours, whatever the
 * output is. A line identical to one written less than REPEAT_WINDOW_MS ago (same level, context and fields: an
 * unreachable broker retried every second) is held back and counted; the count is written once the window ends
 * (`repeated`). Callers pass no secrets: no headers, bodies or tokens.
 */
export class JsonLogger implements LoggerService {
  private rank: number;
  private readonly repeats = new Map<string, Repeat>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    level: LogLevel = 'log',
    private readonly now: () => number = Date.now,
  ) {
    this.rank = LOG_LEVELS.indexOf(level);
  }

  setLevel(level: LogLevel): void {
    this.rank = LOG_LEVELS.indexOf(level);
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

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LOG_LEVELS.indexOf(level) > this.rank) return;
    // Nest passes (message, context) or (message, stack, context)
    const context =
      rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = { level, context };
    if (message !== null && typeof message === 'object' && !(message instanceof Error))
      Object.assign(entry, message);
    else entry.msg = message instanceof Error ? message.message : String(message);
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
    const line = JSON.stringify({ time: new Date(this.now()).toISOString(), ...entry }) + '\n';
    if (entry.level === 'error') process.stderr.write(line);
    else process.stdout.write(line);
  }
}
