import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One value of one metric of one device at one time; the key makes a redelivered message a no-op. */
@Entity({ name: 'readings' })
export class Reading {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId: string;

  @PrimaryColumn({ type: 'text' })
  metric: string;

  @PrimaryColumn({ type: 'timestamptz' })
  ts: Date;

  @Column({ type: 'double precision' })
  value: number;
}
