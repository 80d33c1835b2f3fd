import { dropDatabases } from '../../scripts/lib/databases';
import { testDatabasePrefix } from './database';

const state = globalThis as unknown as { __sensorhubStop?: Array<() => Promise<void>> };

export default async function globalTeardown(): Promise<void> {
  // drop any database of this run a failed test file left behind
  await dropDatabases(process.env.TEST_DATABASE_URL!, testDatabasePrefix());
  for (const stop of (state.__sensorhubStop ?? []).reverse()) await stop();
}
