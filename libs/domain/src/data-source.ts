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

/** Applies pending migrations to `url`; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { logging: false }));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
