import { HttpException, HttpStatus } from '@nestjs/common';

import { ErrorCode } from '@sensorhub/contracts';

// the codes and their meanings are part of the contract the web and integrators key on
export { ERROR_CODES } from '@sensorhub/contracts';
export type { ErrorCode } from '@sensorhub/contracts';

export const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'THROTTLED',
  503: 'SERVICE_UNAVAILABLE',
};

/** An error with its stable code; the global filter renders it as is. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** seconds, sent as Retry-After */
    readonly retryAfter?: number,
  ) {
    super({ statusCode: status, code, message, details }, status);
  }
}

export const unauthorized = (message = 'authentication required') =>
  new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', message);
export const forbidden = (message: string) => new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', message);
export const notFound = (what: string) =>
  new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
export const conflict = (message: string) => new ApiError(HttpStatus.CONFLICT, 'CONFLICT', message);
export const badRequest = (message: string, details?: unknown) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, details);
