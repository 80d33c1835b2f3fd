import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** TypeORM options shared by every app and script: entities and migrations from here, never synchronize. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    ...extra,
    // JIT pays off for long analytic scans, not for our index-bound queries: it added ~15 ms of compilation to
    // queries whose row estimates crossed jit_above_cost (the sparklines query ran 67 ms instead of 13)
    extra: { options: '-c jit=off', ...((extra as { extra?: object }).extra ?? {}) },
  } as DataSourceOptions;
}

/** Key of the session-level advisory lock that serialises migrations across processes (replicas, npm start). */
export const MIGRATION_LOCK_KEY = 0x5e45_0001;

/** Names of every migration this code knows, in order (as TypeORM records them in the `migrations` table). */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(
  (M) => (new M() as { name?: string }).name ?? M.name,
);

/**
 * Applies pending migrations to `url`, holding MIGRATION_LOCK_KEY meanwhile, so replicas starting together apply
 * each migration once (the others wait, then find nothing pending). Returns the names applied.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { logging: false }));
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}

/** Migrations of this code not applied to the database `query` reaches (all of them when it has no schema). */
export async function pendingMigrations(
  query: (sql: string) => Promise<Array<{ name: string }>>,
): Promise<string[]> {
  let rows: Array<{ name: string }>;
  try {
    rows = await query('SELECT name FROM migrations');
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return [...MIGRATION_NAMES]; // no migrations table
    throw err;
  }
  const applied = new Set(rows.map((r) => r.name));
  return MIGRATION_NAMES.filter((n) => !applied.has(n));
}

export interface PrepareDatabaseOptions {
  log: { log(msg: string, context?: string): void; warn(msg: string, context?: string): void };
  /** first retry delay; doubles up to maxDelayMs */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * What both apps do before they start: wait for the database, retrying with backoff for as long as it takes (the
 * app is not ready meanwhile: the api does not listen, ingest does not subscribe), then apply pending migrations
 * under the advisory lock. Resolves once the database answers and its schema matches this code.
 */
export async function prepareDatabase(url: string, opts: PrepareDatabaseOptions): Promise<void> {
  const ctx = 'database';
  let delay = opts.minDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined); // a connection lost meanwhile fails the query below
    try {
      await client.connect();
      const pending = await pendingMigrations(async (sql) => (await client.query(sql)).rows);
      await client.end();
      if (attempt > 1) opts.log.log(`database answers after ${attempt} attempts`, ctx);
      if (!pending.length) return;
      const applied = await runMigrations(url);
      if (applied.length) opts.log.log(`migrations applied: ${applied.join(', ')}`, ctx);
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      opts.log.warn(
        `database not ready (${(err as Error).message}): retrying in ${Math.round(delay / 1000)} s`,
        ctx,
      );
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}

/** Whether the database answers `SELECT 1` within `timeoutMs` (the apps' `sensorhub_database_up` at each scrape). */
export async function databaseAnswers(
  query: (sql: string) => Promise<unknown>,
  timeoutMs = 2000,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
