import { Injectable, LoggerService } from '@nestjs/common';

import { LOG_LEVELS, LogLevel } from '../../config/api.config';

/** One JSON object per line on stdout (errors on stderr). Callers pass no secrets: no headers, bodies or tokens. */
@Injectable()
export class JsonLogger implements LoggerService {
  private rank: number;

  constructor(level: LogLevel = 'log') {
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

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (LOG_LEVELS.indexOf(level) > this.rank) return;
    // Nest passes (message, context) or (message, stack, context)
    const context =
      rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, context };
    if (message !== null && typeof message === 'object' && !(message instanceof Error))
      Object.assign(entry, message);
    else entry.msg = message instanceof Error ? message.message : String(message);
    if (message instanceof Error && message.stack) entry.stack = message.stack;
    if (typeof rest[0] === 'string') entry.stack = rest[0];
    const line = JSON.stringify(entry) + '\n';
    if (level === 'error') process.stderr.write(line);
    else process.stdout.write(line);
  }
}
