// Databases of the tests, benchmarks and `npm start`: the one place that creates and drops them.
import { Client } from 'pg';

import { runMigrations } from '@sensorhub/domain';

/** The URL of database `name` on the server `base` points at. */
export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onServer<T>(base: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Creates database `name` on `base`'s server and returns its URL: migrated unless `migrate: false`; with `timezone`,
 * its sessions' default time zone; with `ifMissing`, an existing one is kept as it is (and not migrated here).
 */
export async function createDatabase(
  base: string,
  name: string,
  {
    migrate = true,
    ifMissing = false,
    timezone,
  }: { migrate?: boolean; ifMissing?: boolean; timezone?: string } = {},
): Promise<string> {
  const created = await onServer(base, async (admin) => {
    if (ifMissing && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount)
      return false;
    await admin.query(`CREATE DATABASE "${name}"`);
    if (timezone) await admin.query(`ALTER DATABASE "${name}" SET timezone = '${timezone}'`);
    return true;
  });
  const url = databaseUrl(base, name);
  if (created && migrate) await runMigrations(url);
  return url;
}

/** Drops database `name` on `base`'s server, ending its open sessions. */
export async function dropDatabase(base: string, name: string): Promise<void> {
  await onServer(base, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drops every database on `base`'s server whose name starts with `prefix` (what a failed run left behind). */
export async function dropDatabases(base: string, prefix: string): Promise<void> {
  await onServer(base, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [prefix],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

export interface OwnDatabase {
  name: string;
  url: string;
  /** a connection to it (seeding, assertions) */
  client: Client;
  /** closes `client` and drops the database */
  drop(): Promise<void>;
}

/** A fresh database `name` (migrated unless `migrate: false`) with a connection to it. */
export async function ownDatabase(
  base: string,
  name: string,
  opts: { migrate?: boolean; timezone?: string } = {},
): Promise<OwnDatabase> {
  const url = await createDatabase(base, name, opts);
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    await dropDatabase(base, name);
    throw e;
  }
  return {
    name,
    url,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      await dropDatabase(base, name);
    },
  };
}
