import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'devices' })
export class Device {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata: Record<string, unknown>;

  @Column({ name: 'first_seen', type: 'timestamptz' })
  firstSeen: Date;

  @Column({ name: 'last_seen', type: 'timestamptz' })
  lastSeen: Date;

  /** device-reported state from its last telemetry packet */
  @Column({ type: 'text', nullable: true })
  status: string | null;

  /** presence from devices/{id}/status (the firmware's Last Will); null until the device says */
  @Column({ type: 'boolean', nullable: true })
  online: boolean | null;

  @Column({ type: 'real', nullable: true })
  battery: number | null;
}
