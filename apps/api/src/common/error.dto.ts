import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

import { ERROR_CODES, ErrorCode } from './errors';

/** One invalid input of a VALIDATION_FAILED error. */
export class FieldErrorDto {
  @ApiProperty({ example: 'maxPoints', description: 'the field, dotted for nested ones (`measurements.t`)' })
  field: string;

  @ApiProperty({ type: [String], example: ['maxPoints must not be greater than 10000'] })
  errors: string[];
}

export class ErrorDto {
  @ApiProperty({ type: 'integer', example: 400, description: 'the HTTP status, repeated' })
  statusCode: number;

  @ApiProperty({ enum: Object.keys(ERROR_CODES), example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  @ApiProperty({ example: 'maxPoints must not be greater than 10000' })
  message: string;

  @ApiPropertyOptional({
    description:
      'VALIDATION_FAILED: an array of {field, errors}, one per invalid field; INVALID_PACKET: {field, reason}; ' +
      'INTERNAL_ERROR: {correlationId}; SERVICE_UNAVAILABLE (health): the per-indicator report',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldErrorDto[] | Record<string, unknown>;
}

const example = (statusCode: number, code: ErrorCode, message: string, details?: unknown) =>
  details === undefined ? { statusCode, code, message } : { statusCode, code, message, details };

/** An example body per error code, for the OpenAPI document's error responses. */
export const ERROR_EXAMPLES: Record<ErrorCode, unknown> = {
  VALIDATION_FAILED: example(400, 'VALIDATION_FAILED', 'maxPoints must not be greater than 10000', [
    { field: 'maxPoints', errors: ['maxPoints must not be greater than 10000'] },
  ]),
  INVALID_PACKET: example(400, 'INVALID_PACKET', 'measurements.temperature must be a finite number', {
    field: 'measurements.temperature',
    reason: 'INVALID_VALUE',
  }),
  UNAUTHORIZED: example(401, 'UNAUTHORIZED', 'authentication required'),
  FORBIDDEN: example(403, 'FORBIDDEN', 'needs role operator'),
  NOT_FOUND: example(404, 'NOT_FOUND', 'device not found'),
  METHOD_NOT_ALLOWED: example(405, 'METHOD_NOT_ALLOWED', 'PUT is not allowed on /api/v1/devices'),
  CONFLICT: example(409, 'CONFLICT', 'e-mail already in use'),
  DEAD_LETTER_TRUNCATED: example(
    409,
    'DEAD_LETTER_TRUNCATED',
    'dead letter 42 was stored cut to 16384 of 70000 bytes; it cannot be replayed',
  ),
  DEAD_LETTER_NOT_REPLAYABLE: example(
    409,
    'DEAD_LETTER_NOT_REPLAYABLE',
    'dead letter 42 has topic "foo/bar", not a device data topic',
  ),
  PAYLOAD_TOO_LARGE: example(413, 'PAYLOAD_TOO_LARGE', 'request body is larger than 131072 bytes'),
  UNSUPPORTED_MEDIA_TYPE: example(415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported content encoding "compress"'),
  THROTTLED: example(429, 'THROTTLED', 'ThrottlerException: Too Many Requests'),
  BROKER_UNAVAILABLE: example(503, 'BROKER_UNAVAILABLE', 'the broker did not acknowledge in time'),
  SERVICE_UNAVAILABLE: example(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable Exception', {
    status: 'error',
    error: { broker: { status: 'down', message: 'not connected' } },
  }),
  DATABASE_UNAVAILABLE: example(
    503,
    'DATABASE_UNAVAILABLE',
    'the database cannot be reached; try again shortly',
  ),
  INTERNAL_ERROR: example(500, 'INTERNAL_ERROR', 'internal error', {
    correlationId: '6f1c2b4e-8a1d-4c55-9a8e-2f0d7f3b9c21',
  }),
};
