import { Column, Entity, PrimaryColumn } from 'typeorm';

/** readings_hourly folded to UTC days, kept by the same triggers: year-long charts read ~365 rows per series. */
@Entity({ name: 'readings_daily' })
export class ReadingDaily {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId: string;

  @PrimaryColumn({ type: 'text' })
  metric: string;

  /** start of the UTC day */
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
