import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sessions and per-key device scopes:
 * - `users.token_version`: access tokens carry it; a password change or disabling bumps it, so every token issued
 *   before stops working. A trigger does it, so the rule holds for psql and any other writer too.
 * - `refresh_token_families`: one row per login; each refresh rotates the cookie to the next generation, and a cookie
 *   of an older generation (a copy being replayed) revokes the whole family. Logout, a password change and disabling
 *   revoke the user's families (the same trigger).
 * - `api_keys.device_scopes`: NULL = every device, else device ids or patterns with `*` the key may touch.
 */
export class SessionsAndKeyScopes1795478400000 implements MigrationInterface {
  name = 'SessionsAndKeyScopes1795478400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE refresh_token_families (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        generation integer NOT NULL DEFAULT 0,
        rotated_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text CHECK (revoked_reason IN ('logout', 'reuse', 'credentials'))
      )`);
    await q.query(
      `CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`
      CREATE FUNCTION users_revoke_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.password_hash IS DISTINCT FROM OLD.password_hash OR (NEW.disabled AND NOT OLD.disabled) THEN
          NEW.token_version := OLD.token_version + 1;
          UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'credentials'
            WHERE user_id = NEW.id AND revoked_at IS NULL;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_revoke_sessions BEFORE UPDATE OF password_hash, disabled ON users
        FOR EACH ROW EXECUTE FUNCTION users_revoke_sessions()`);
    await q.query(`
      ALTER TABLE api_keys ADD COLUMN device_scopes text[]
        CHECK (device_scopes IS NULL OR (cardinality(device_scopes) BETWEEN 1 AND 100
          AND array_to_string(device_scopes, ',') ~ '^[A-Za-z0-9_*-]{1,64}(,[A-Za-z0-9_*-]{1,64})*$'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN device_scopes`);
    await q.query(`DROP TRIGGER users_revoke_sessions ON users`);
    await q.query(`DROP FUNCTION users_revoke_sessions()`);
    await q.query(`DROP TABLE refresh_token_families`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
