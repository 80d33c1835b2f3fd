import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const REVOKE_REASONS = ['logout', 'reuse', 'credentials'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

/**
 * One login's chain of refresh cookies. The cookie names the family and its generation; each refresh moves the family
 * to the next generation, so a cookie of an older one is a replayed copy and revokes the family.
 */
@Entity({ name: 'refresh_token_families' })
export class RefreshTokenFamily {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'integer', default: 0 })
  generation: number;

  @Column({ name: 'rotated_at', type: 'timestamptz' })
  rotatedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** REFRESH_TTL after the login or the last refresh, at most REFRESH_MAX_AGE after the login */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason: RevokeReason | null;
}
