import { Alerts1796100000000 } from './1796100000000-alerts';
import { InitialSchema1767225600000 } from './1767225600000-initial-schema';
import { ReadingsHourly1795392000000 } from './1795392000000-readings-hourly';
import { SessionsAndKeyScopes1795478400000 } from './1795478400000-sessions-and-key-scopes';
import { PartitionsAndRollupTriggers1795919781075 } from './1795919781075-partitions-and-rollup-triggers';
import { DeadLetterReplay1796000000000 } from './1796000000000-dead-letter-replay';
import { AlertChangesPerPartition1796200000000 } from './1796200000000-alert-changes-per-partition';
import { PartitionMoveLock1796300000000 } from './1796300000000-partition-move-lock';
import { HourlyFillfactor1796400000000 } from './1796400000000-hourly-fillfactor';
import { HourlyFillfactorReset1796600000000 } from './1796600000000-hourly-fillfactor-reset';
import { CoveringRollupKeys1796500000000 } from './1796500000000-covering-rollup-keys';

/** Every migration in order; the only way the schema changes (synchronize is never on). */
export const MIGRATIONS = [
  InitialSchema1767225600000,
  ReadingsHourly1795392000000,
  SessionsAndKeyScopes1795478400000,
  PartitionsAndRollupTriggers1795919781075,
  DeadLetterReplay1796000000000,
  Alerts1796100000000,
  AlertChangesPerPartition1796200000000,
  PartitionMoveLock1796300000000,
  HourlyFillfactor1796400000000,
  CoveringRollupKeys1796500000000,
  HourlyFillfactorReset1796600000000,
];
