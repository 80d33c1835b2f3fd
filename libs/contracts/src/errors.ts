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

/** One invalid input of a VALIDATION_FAILED error. */
export interface FieldError {
  /** dotted for nested fields (`measurements.t`) */
  field: string;
  errors: string[];
}

/** The body of every error response. */
export interface ErrorResponse {
  /** the HTTP status, repeated */
  statusCode: number;
  code: ErrorCode;
  message: string;
  /**
   * VALIDATION_FAILED: FieldError[]; INVALID_PACKET: {field, reason}; INTERNAL_ERROR: {correlationId};
   * SERVICE_UNAVAILABLE (health): the per-indicator report
   */
  details?: FieldError[] | Record<string, unknown>;
}
