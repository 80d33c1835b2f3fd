import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * sensorhub_ensure_partitions moves rows waiting in the default partition into a new partition by DELETE … RETURNING
 * into a table it then attaches. A DELETE or UPDATE of those rows running at the same time (a device deleted, a repair
 * by psql) waited for the move, found its rows gone from the default partition and never saw the new one — the rows
 * it meant to delete survived. The move now first takes SHARE ROW EXCLUSIVE on `readings`: writers that started wait
 * for it and finish first, writers that come later wait and then see the new partition. Readers are not blocked; the
 * lock is held only while rows actually move (history written where no partition was), never for the partitions
 * created ahead.
 */
const ENSURE_PARTITIONS = (lock: string) => `
      CREATE OR REPLACE FUNCTION sensorhub_ensure_partitions(p_from timestamptz, p_to timestamptz) RETURNS integer
      LANGUAGE plpgsql AS $$
      DECLARE
        w text := (SELECT width FROM readings_partitioning);
        cur timestamptz := sensorhub_partition_start(p_from, w);
        v_hi timestamptz; v_lo timestamptz; v_covered timestamptz; v_next timestamptz;
        v_name text; v_keep text; created integer := 0;
      BEGIN
        WHILE cur <= p_to LOOP
          v_hi := sensorhub_partition_next(cur, w);
          v_lo := cur;
          WHILE v_lo < v_hi LOOP
            SELECT p.hi INTO v_covered FROM sensorhub_readings_partitions() p WHERE p.lo <= v_lo AND p.hi > v_lo;
            IF v_covered IS NOT NULL THEN
              v_lo := v_covered;
              CONTINUE;
            END IF;
            SELECT least(v_hi, min(p.lo)) INTO v_next FROM sensorhub_readings_partitions() p WHERE p.lo > v_lo;
            v_name := 'readings_p' || to_char(v_lo AT TIME ZONE 'UTC', 'YYYYMMDD');
            IF EXISTS (SELECT 1 FROM readings_default WHERE ts >= v_lo AND ts < v_next) THEN${lock}
              v_keep := current_setting('sensorhub.keep_rollups', true);
              PERFORM set_config('sensorhub.keep_rollups', 'on', true);
              EXECUTE format('CREATE TABLE %I (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
              EXECUTE format('WITH moved AS (DELETE FROM readings_default WHERE ts >= $1 AND ts < $2 RETURNING *)
                INSERT INTO %I SELECT * FROM moved', v_name) USING v_lo, v_next;
              EXECUTE format('ALTER TABLE readings ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', v_name, v_lo, v_next);
              PERFORM set_config('sensorhub.keep_rollups', coalesce(v_keep, ''), true);
            ELSE
              EXECUTE format('CREATE TABLE %I PARTITION OF readings FOR VALUES FROM (%L) TO (%L)', v_name, v_lo, v_next);
            END IF;
            PERFORM sensorhub_add_rollup_triggers(v_name::regclass);
            created := created + 1;
            v_lo := v_next;
          END LOOP;
          cur := v_hi;
        END LOOP;
        RETURN created;
      END $$`;

export class PartitionMoveLock1796300000000 implements MigrationInterface {
  name = 'PartitionMoveLock1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ENSURE_PARTITIONS(`\n              LOCK TABLE readings IN SHARE ROW EXCLUSIVE MODE;`));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(ENSURE_PARTITIONS(''));
  }
}
