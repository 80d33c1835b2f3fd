/** Stable reason codes stored with every dead letter. Never renumber or rename: dashboards and alerts key on them. */
export const DEAD_LETTER_REASONS = {
  /** topic is not devices/{id}/{metric|telemetry|status} or an id/metric breaks its pattern */
  invalidTopic: 'INVALID_TOPIC',
  /** payload larger than the configured maximum */
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** empty payload where a value was expected */
  emptyPayload: 'EMPTY_PAYLOAD',
  /** payload is not valid UTF-8 text */
  invalidEncoding: 'INVALID_ENCODING',
  /** payload looks like JSON but does not parse */
  invalidJson: 'INVALID_JSON',
  /** JSON of the wrong shape (missing/extra-typed fields) */
  invalidPayload: 'INVALID_PAYLOAD',
  /** a value that is not a finite number (NaN, Infinity, string, null) */
  invalidValue: 'INVALID_VALUE',
  /** a measurement name that breaks the metric pattern */
  invalidMetric: 'INVALID_METRIC',
  /** ts/timestamp that is neither ISO 8601 nor epoch milliseconds */
  invalidTimestamp: 'INVALID_TIMESTAMP',
  /** ts outside [now - max age, now + max skew] */
  timestampOutOfRange: 'TIMESTAMP_OUT_OF_RANGE',
  /** telemetry device_id differs from the topic's id */
  deviceIdMismatch: 'DEVICE_ID_MISMATCH',
  /** battery not a number in 0..100 */
  invalidBattery: 'INVALID_BATTERY',
  /** status payload other than online/offline */
  invalidStatus: 'INVALID_STATUS',
  /** device not registered while INGEST_REQUIRE_REGISTERED=true */
  unknownDevice: 'UNKNOWN_DEVICE',
  /** a value outside its metric's physical bounds (metric catalog) or beyond the sane range |v| > 1e15 */
  outOfRange: 'OUT_OF_RANGE',
  /** a metric the catalog does not list while INGEST_REQUIRE_KNOWN_METRICS=true */
  unknownMetric: 'UNKNOWN_METRIC',
  /** the database refused this message (constraint, encoding, …); the rest of its batch was stored */
  databaseRejected: 'DATABASE_REJECTED',
  /** a reading whose (device, metric, ts) is already stored with another value; the first value is kept */
  conflictingDuplicate: 'CONFLICTING_DUPLICATE',
  /** handling the message failed unexpectedly (a bug): kept here instead of being redelivered forever */
  handlerError: 'HANDLER_ERROR',
} as const;

export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[keyof typeof DEAD_LETTER_REASONS];
