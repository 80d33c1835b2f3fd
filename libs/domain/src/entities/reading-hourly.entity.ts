import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The readings of one metric of one device in one UTC hour, folded to min/max/sum/count. Triggers on `readings` keep
 * it in step whoever writes (migration 1795919781075), so long-range charts aggregate hours instead of raw rows.
 */
@Entity({ name: 'readings_hourly' })
export class ReadingHourly {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId: string;

  @PrimaryColumn({ type: 'text' })
  metric: string;

  /** start of the UTC hour */
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
