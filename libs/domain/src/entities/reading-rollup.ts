import { Column, PrimaryColumn } from 'typeorm';

/**
 * The columns every readings rollup table has: one metric of one device in one UTC bucket (hour or day), folded to
 * min/max/sum/count. Not an entity itself; each rollup table is an entity extending it.
 */
export abstract class ReadingRollup {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId: string;

  @PrimaryColumn({ type: 'text' })
  metric: string;

  /** start of the UTC hour or day */
  @PrimaryColumn({ type: 'timestamptz' })
  bucket: Date;

  @Column({ type: 'double precision' })
  min: number;

  @Column({ type: 'double precision' })
  max: number;

  @Column({ type: 'double precision' })
  sum: number;

  /** bigint: pg hands it over as a string */
  @Column({ type: 'bigint' })
  count: string;
}
