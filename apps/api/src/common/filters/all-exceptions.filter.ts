import { randomUUID } from 'node:crypto';

import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { Request, Response } from 'express';

import { JsonLogger } from '../logging/json-logger';
import { ApiError, CODE_BY_STATUS, ErrorCode } from '../errors';

/** The one error shape `{statusCode, code, message, details?}`; unknown errors become a logged 500 with a correlation id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    let statusCode: number;
    let code: ErrorCode;
    let message: string;
    let details: unknown;
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
      if (statusCode === 404 && !(typeof body === 'object' && body && 'code' in body))
        message = `no route ${req.method} ${req.path}`;
    } else {
      statusCode = 500;
      code = 'INTERNAL_ERROR';
      const correlationId = randomUUID();
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
