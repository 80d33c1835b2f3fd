import { randomUUID } from 'node:crypto';

import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { Request, Response } from 'express';

import { requestId } from '../middleware/request-log.middleware';
import { JsonLogger } from '../logging/json-logger';
import { ApiError, CODE_BY_STATUS, ErrorCode } from '../errors';

const DATABASE_RETRY_AFTER_SECONDS = 5;
/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, restart) */
const UNREACHABLE_SQLSTATE = /^(08|57P0[1-3])/;
const UNREACHABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Connection-level failures (pg or pg-pool), as opposed to an error in a query. */
export function isDatabaseUnreachable(e: unknown): boolean {
  // duck-typed: errors raised inside pg may come from another realm (instanceof Error is false under Jest)
  if (typeof e !== 'object' || e === null || typeof (e as Error).message !== 'string') return false;
  const err = e as Error & { code?: string; driverError?: { code?: string; message?: string } };
  const code = err.driverError?.code ?? err.code;
  if (typeof code === 'string' && (UNREACHABLE_SQLSTATE.test(code) || UNREACHABLE_ERRNO.has(code)))
    return true;
  // passport re-wraps errors from a strategy's validate() as new Error(String(err)): only the message is left
  const message = err.driverError?.message ?? err.message;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect (ECONNREFUSED|ETIMEDOUT)|read ECONNRESET/.test(
    message,
  );
}

/**
 * A client error raised by Express' body parsers (http-errors with `expose`): body too large, a Content-Encoding
 * that does not decode, an unsupported encoding or charset (invalid JSON Nest itself turns into a 400). Their
 * messages are safe to show; the body they carry is not.
 */
function bodyParserError(e: unknown): { status: number; message: string } | null {
  if (typeof e !== 'object' || e === null) return null;
  const err = e as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown; limit?: unknown };
  if (typeof err.status !== 'number' || err.status < 400 || err.status >= 500 || err.expose !== true)
    return null;
  if (err.type === 'entity.too.large')
    return { status: 413, message: `request body is larger than ${String(err.limit)} bytes` };
  if (err.status === 400)
    return { status: 400, message: `request body cannot be read: ${String(err.message)}` };
  return { status: err.status, message: String(err.message) };
}

/** The methods a path is served with (empty when no route matches it): for 405 and its Allow header. */
export type AllowedMethods = (path: string) => string[];

/** The one error shape `{statusCode, code, message, details?}`; unknown errors become a logged 500 with a correlation id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: JsonLogger,
    private readonly allowedMethods: AllowedMethods = () => [],
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    let statusCode: number;
    let code: ErrorCode;
    let message: string;
    let details: unknown;
    let parsed: ReturnType<typeof bodyParserError>;
    if (exception instanceof ApiError) {
      statusCode = exception.getStatus();
      ({ code, message, details } = exception);
      if (exception.retryAfter !== undefined) res.setHeader('Retry-After', String(exception.retryAfter));
    } else if (exception instanceof HttpException) {
      statusCode = exception.getStatus();
      code = CODE_BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : exception.message;
      // terminus puts the per-indicator report in the body
      if (typeof body === 'object' && body && 'info' in body) details = body;
      if (statusCode === 404 && !(typeof body === 'object' && body && 'code' in body)) {
        message = `no route ${req.method} ${req.path}`;
        const allow = this.allowedMethods(req.path);
        if (allow.length) {
          statusCode = 405;
          code = 'METHOD_NOT_ALLOWED';
          message = `${req.method} is not allowed on ${req.path}`;
          res.setHeader('Allow', allow.join(', '));
        }
      }
    } else if ((parsed = bodyParserError(exception))) {
      statusCode = parsed.status;
      code = CODE_BY_STATUS[statusCode] ?? 'VALIDATION_FAILED';
      message = parsed.message;
    } else if (isDatabaseUnreachable(exception)) {
      statusCode = 503;
      code = 'DATABASE_UNAVAILABLE';
      message = 'the database cannot be reached; try again shortly';
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      this.logger.warn(
        {
          msg: 'database unreachable',
          method: req.method,
          path: req.path,
          error: (exception as Error).message,
        },
        'ExceptionFilter',
      );
    } else {
      statusCode = 500;
      code = 'INTERNAL_ERROR';
      const correlationId = requestId(req) ?? randomUUID();
      message = 'internal error';
      details = { correlationId };
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        { msg: err.message, correlationId, method: req.method, path: req.path },
        err.stack,
        'ExceptionFilter',
      );
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res
      .status(statusCode)
      .json(details === undefined ? { statusCode, code, message } : { statusCode, code, message, details });
  }
}
