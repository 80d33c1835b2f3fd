import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Back to full pages for readings_hourly. 1796400000000 left half of each new page free so that the rollup trigger's
 * per-batch update of an hour row could stay HOT (no new index entry). Since 1796500000000 the primary key carries
 * min, max, sum and count (INCLUDE), so that update changes indexed columns and is never HOT: the free half would
 * only double the table's size.
 */
export class HourlyFillfactorReset1796600000000 implements MigrationInterface {
  name = 'HourlyFillfactorReset1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE readings_hourly RESET (fillfactor)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE readings_hourly SET (fillfactor = 50)`);
  }
}
