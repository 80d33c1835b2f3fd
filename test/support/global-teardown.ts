import { Client } from 'pg';

const state = globalThis as unknown as { __sensorhubStop?: Array<() => Promise<void>> };

export default async function globalTeardown(): Promise<void> {
  // drop any database of this run a failed test file left behind
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  try {
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`sensorhub_test_${process.env.SENSORHUB_TEST_RUN}_%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  for (const stop of (state.__sensorhubStop ?? []).reverse()) await stop();
}
