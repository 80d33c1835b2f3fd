import { MigrationInterface, QueryRunner } from 'typeorm';

import { refreshHourlyRollup } from '../rollup/hourly-rollup';

/** Hourly min/max/sum/count per device and metric, back-filled from the readings already stored. */
export class ReadingsHourly1795392000000 implements MigrationInterface {
  name = 'ReadingsHourly1795392000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE readings_hourly (
        device_id text NOT NULL,
        metric text NOT NULL,
        bucket timestamptz NOT NULL,
        min double precision NOT NULL,
        max double precision NOT NULL,
        sum double precision NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (device_id, metric, bucket)
      )`);
    await refreshHourlyRollup(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE readings_hourly`);
  }
}
