import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters can be replayed (POST /dead-letters/{id}/replay): when and how often, so the audit shows it.
 * The (reason, received_at) index serves the dashboard's reason filter, newest first.
 */
export class DeadLetterReplay1796000000000 implements MigrationInterface {
  name = 'DeadLetterReplay1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dead_letters ADD COLUMN replayed_at timestamptz`);
    await q.query(
      `ALTER TABLE dead_letters ADD COLUMN replay_count integer NOT NULL DEFAULT 0 CHECK (replay_count >= 0)`,
    );
    await q.query(`CREATE INDEX dead_letters_reason_received_at_idx ON dead_letters (reason, received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dead_letters_reason_received_at_idx`);
    await q.query(`ALTER TABLE dead_letters DROP COLUMN replay_count`);
    await q.query(`ALTER TABLE dead_letters DROP COLUMN replayed_at`);
  }
}
