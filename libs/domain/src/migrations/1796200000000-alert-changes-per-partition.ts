import { MigrationInterface, QueryRunner } from 'typeorm';

const ROLLUP_TRIGGERS = `
        EXECUTE format('CREATE TRIGGER rollup_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION sensorhub_rollup_insert()', p_table);
        EXECUTE format('CREATE TRIGGER rollup_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows
          NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sensorhub_rollup_change()', p_table);
        EXECUTE format('CREATE TRIGGER rollup_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION sensorhub_rollup_change()', p_table);
        EXECUTE format('CREATE TRIGGER rollup_truncate BEFORE TRUNCATE ON %s
          FOR EACH STATEMENT EXECUTE FUNCTION sensorhub_rollup_truncate()', p_table);`;

/**
 * The alert change log for every path into `readings`: a statement-level trigger on a partitioned table fires only
 * for statements naming it, so an INSERT or COPY straight into a partition (a restore, a bulk load) logged nothing
 * and was never evaluated. Each partition — the existing ones and every one created from now on by
 * `sensorhub_add_rollup_triggers` — gets the `readings_log_changes` trigger too, as it has the rollup triggers.
 */
export class AlertChangesPerPartition1796200000000 implements MigrationInterface {
  name = 'AlertChangesPerPartition1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION sensorhub_add_rollup_triggers(p_table regclass) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN${ROLLUP_TRIGGERS}
        IF p_table <> 'readings'::regclass THEN
          EXECUTE format('CREATE TRIGGER readings_log_changes AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION readings_log_changes()', p_table);
        END IF;
      END $$`);
    await q.query(`
      DO $$
      DECLARE p regclass;
      BEGIN
        FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'readings'::regclass LOOP
          EXECUTE format('CREATE TRIGGER readings_log_changes AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION readings_log_changes()', p);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE p regclass;
      BEGIN
        FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'readings'::regclass LOOP
          EXECUTE format('DROP TRIGGER IF EXISTS readings_log_changes ON %s', p);
        END LOOP;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION sensorhub_add_rollup_triggers(p_table regclass) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN${ROLLUP_TRIGGERS}
      END $$`);
  }
}
