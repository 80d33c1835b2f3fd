import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

import { dataSourceOptions } from '@sensorhub/domain';

import { databaseUrl, OwnDatabase, ownDatabase } from '../../scripts/lib/databases';
import { built } from '../../scripts/lib/paths';
import { NodeProcess, startNode, waitFor } from '../../scripts/lib/processes';

export { databaseUrl, waitFor };

export type TestDatabase = OwnDatabase;

let counter = 0;

/** Admin URL of the run's server (TEST_DATABASE_URL, or the embedded one the global setup started). */
export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

/** The start of the name of every database of this run: the global teardown drops what a failed file left. */
export const testDatabasePrefix = (): string => `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_`;

/**
 * Runs only `migrations` on the database at `url` — the schema a migration's spec starts from, before the migration
 * it tests — and returns a connection to it.
 */
export async function migratedWith(
  url: string,
  migrations: DataSourceOptions['migrations'],
): Promise<Client> {
  const before = new DataSource(dataSourceOptions(url, { migrations, logging: false }));
  await before.initialize();
  try {
    await before.runMigrations();
  } finally {
    await before.destroy();
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A fresh, migrated (unless `migrate: false`) database for one test file; `drop()` removes it. */
export async function createTestDatabase(
  base = adminUrl(),
  { migrate = true }: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  return ownDatabase(base, `${testDatabasePrefix()}${process.pid}_${++counter}`, { migrate });
}

export async function count(client: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await client.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}

/** A PostgreSQL server of the test's own, in its own process, which the test may stop and start again. */
export class OwnPostgres {
  private proc?: NodeProcess;
  url = '';

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  async start(): Promise<string> {
    this.proc = startNode(built('lib/postgres-process'), {
      name: 'postgres',
      args: [this.dir, String(this.port)],
      ready: /ready (\S+)/,
    });
    this.url = (await this.proc.ready)[1];
    return this.url;
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
  }
}
