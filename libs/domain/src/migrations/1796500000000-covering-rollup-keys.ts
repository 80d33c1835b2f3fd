import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['readings_hourly', 'readings_daily'];

/**
 * The rollups' primary keys (device_id, metric, bucket) now also carry min, max, sum and count (INCLUDE), so a chart's
 * rollup read is an index-only scan. The tables' rows are written in time order for the whole fleet at once, so one
 * device's year of hour rows lies one per heap page: read cold, a year cost ~8,760 random page reads (seconds at 100
 * million readings); in the key's order it is a few dozen index pages. The key itself is unchanged (ON CONFLICT and
 * every query name the same columns); the new index is built beside the old one (writes wait meanwhile: minutes at
 * 100 million readings), then takes over the constraint. Index-only scans skip the heap on the pages the visibility
 * map marks all-visible: past hours and days, once (auto)vacuum has passed. Cost: the rollup trigger's update of an
 * hour row changes indexed columns, so it is never HOT, half-filled pages or not (+26 % backend CPU per ingest batch
 * measured against HourlyFillfactor1796400000000 alone; docs/scaling.md).
 */
export class CoveringRollupKeys1796500000000 implements MigrationInterface {
  name = 'CoveringRollupKeys1796500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await swapKey(q, t, 'INCLUDE (min, max, sum, count)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await swapKey(q, t, '');
  }
}

async function swapKey(q: QueryRunner, table: string, include: string): Promise<void> {
  await q.query(`CREATE UNIQUE INDEX ${table}_key_new ON ${table} (device_id, metric, bucket) ${include}`);
  await q.query(
    `ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD CONSTRAINT ${table}_pkey PRIMARY KEY USING INDEX ${table}_key_new`,
  );
}
