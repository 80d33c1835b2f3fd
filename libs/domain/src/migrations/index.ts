import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { ReadingsHourly1795392000000 } from './1795392000000-readings-hourly';
import { SessionsAndKeyScopes1795478400000 } from './1795478400000-sessions-and-key-scopes';

/** Every migration in order; the only way the schema changes (synchronize is never on). */
export const MIGRATIONS = [
  InitialSchema1767225600000,
  ReadingsHourly1795392000000,
  SessionsAndKeyScopes1795478400000,
];
