import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE devices (
        id text PRIMARY KEY,
        name text,
        location text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        status text,
        online boolean,
        battery real
      )`);
    await q.query(`
      CREATE TABLE readings (
        device_id text NOT NULL,
        metric text NOT NULL,
        ts timestamptz NOT NULL,
        value double precision NOT NULL,
        PRIMARY KEY (device_id, metric, ts)
      )`);
    await q.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        payload bytea NOT NULL,
        payload_size integer NOT NULL,
        reason text NOT NULL,
        detail text NOT NULL,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX dead_letters_received_at_idx ON dead_letters (received_at)`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        hash text NOT NULL,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write']::text[]),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE dead_letters`);
    await q.query(`DROP TABLE readings`);
    await q.query(`DROP TABLE devices`);
  }
}
