import { HttpException, HttpStatus } from '@nestjs/common';

/** Stable error codes of the `{statusCode, code, message, details?}` shape; clients key on these, never rename. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'a body, query or path parameter is invalid; details lists each field and what is wrong',
  INVALID_PACKET:
    'a telemetry packet breaks the wire contract; details.field and details.reason (dead-letter reason code)',
  UNAUTHORIZED:
    'no credentials, or a bad, expired or revoked token, ticket or API key, or wrong e-mail/password',
  FORBIDDEN: 'authenticated, but the role or API key scope does not allow this route',
  NOT_FOUND: 'no such route or resource',
  METHOD_NOT_ALLOWED:
    'the route exists but not with this method; the Allow header lists the methods it takes',
  CONFLICT:
    'the change conflicts with current state (duplicate e-mail, changing your own role, a device at its metric cap, …)',
  DEAD_LETTER_TRUNCATED:
    "the dead letter's payload was cut to 16 KiB when stored, so it cannot be replayed as it was sent",
  DEAD_LETTER_NOT_REPLAYABLE:
    "the dead letter's topic is not a device data topic (devices/{id}/…), so it is not replayed",
  PAYLOAD_TOO_LARGE: 'the request body is larger than BODY_LIMIT_BYTES',
  UNSUPPORTED_MEDIA_TYPE:
    'a request body that is not JSON (send Content-Type: application/json), or in a Content-Encoding or charset the API cannot read (identity, gzip, deflate, br)',
  THROTTLED: 'too many requests or failed logins; retry after the Retry-After header (seconds)',
  BROKER_UNAVAILABLE: 'the MQTT broker did not acknowledge the publish in time',
  SERVICE_UNAVAILABLE: 'a dependency is down (health check)',
  DATABASE_UNAVAILABLE:
    'PostgreSQL cannot be reached right now; retry after the Retry-After header (seconds)',
  INTERNAL_ERROR: 'unexpected server error; details.correlationId finds it in the logs',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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
