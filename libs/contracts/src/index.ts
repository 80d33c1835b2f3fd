/**
 * @sensorhub/contracts — what api, ingest and web agree on. Dependency-free (no Node, no DOM, no ORM) so that the
 * Angular app can import it too.
 */
export * from './alerts';
export * from './dead-letter-reasons';
export * from './devices';
export * from './errors';
export * from './live';
export * from './rest';
export * from './roles';
export * from './topics';
