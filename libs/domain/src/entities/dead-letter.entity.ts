import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { DeadLetterReason } from '@sensorhub/contracts';

/** A message that could not be stored as readings, kept verbatim (up to a bound) with why. */
@Entity({ name: 'dead_letters' })
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  /** the raw payload, cut to DEAD_LETTER_PAYLOAD_LIMIT bytes */
  @Column({ type: 'bytea' })
  payload: Buffer;

  /** the payload's full size in bytes, to tell a cut payload */
  @Column({ name: 'payload_size', type: 'integer' })
  payloadSize: number;

  @Column({ type: 'text' })
  reason: DeadLetterReason;

  @Column({ type: 'text' })
  detail: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  /** last time the API re-published it to the broker (POST /dead-letters/{id}/replay) */
  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt: Date | null;

  @Column({ name: 'replay_count', type: 'integer', default: 0 })
  replayCount: number;
}

export const DEAD_LETTER_PAYLOAD_LIMIT = 16 * 1024;
