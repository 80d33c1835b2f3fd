import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: rules, alerts (pending → firing → resolved, acknowledged), the outbox of their actions, and the change log
 * that lets the processor evaluate every committed reading.
 *
 * - `reading_changes` is written by a statement-level trigger on `readings` (a transition table, so one grouped insert
 *   per statement, not per row): every INSERT or COPY, by ingest, psql or a restore, leaves one row per (device,
 *   metric) with the statement's ts range, in the writer's own transaction. Only metrics some enabled rule watches are
 *   logged. The processor deletes the rows it evaluated in its own transaction, so a crash re-evaluates them.
 * - `alert_rule_state.last_ts` is the newest reading evaluated per (rule, device): evaluation is idempotent (a
 *   reading at or before it is never evaluated twice).
 * - One open (pending or firing) alert per (rule, device), enforced by a unique index: two evaluators can never open
 *   the same alert twice; one event per (alert, transition, action) by another.
 * - The CHECKs repeat the API's rule validation, so a rule written with psql can also always fire and clear.
 */
export class Alerts1796100000000 implements MigrationInterface {
  name = 'Alerts1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        scope text NOT NULL CHECK (scope IN ('device', 'metadata', 'all')),
        scope_device_id text,
        scope_key text,
        scope_value text,
        metric text NOT NULL CHECK (metric ~ '^[a-z0-9_]{1,64}$'),
        condition text NOT NULL CHECK (condition IN ('above', 'below', 'outside', 'rate', 'no_data')),
        threshold double precision,
        threshold_high double precision,
        clear_threshold double precision,
        clear_threshold_high double precision,
        no_data_seconds integer CHECK (no_data_seconds IS NULL OR no_data_seconds >= 1),
        duration_seconds integer NOT NULL DEFAULT 0 CHECK (duration_seconds BETWEEN 0 AND 604800),
        severity text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
        enabled boolean NOT NULL DEFAULT true,
        actions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(actions) = 'array'),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (CASE scope
          WHEN 'device' THEN scope_device_id IS NOT NULL
          WHEN 'metadata' THEN scope_key IS NOT NULL AND scope_value IS NOT NULL
          ELSE true END),
        CHECK (CASE condition
          WHEN 'above' THEN threshold IS NOT NULL AND clear_threshold <= threshold
          WHEN 'below' THEN threshold IS NOT NULL AND clear_threshold >= threshold
          WHEN 'outside' THEN threshold < threshold_high AND clear_threshold <= clear_threshold_high
            AND clear_threshold >= threshold AND clear_threshold_high <= threshold_high
          WHEN 'rate' THEN threshold > 0 AND clear_threshold > 0 AND clear_threshold <= threshold
          ELSE no_data_seconds IS NOT NULL END)
      )`);
    await q.query(`CREATE INDEX alert_rules_metric_idx ON alert_rules (metric) WHERE enabled`);
    await q.query(`
      CREATE TABLE alerts (
        id bigserial PRIMARY KEY,
        rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        device_id text NOT NULL,
        metric text NOT NULL,
        severity text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
        value double precision,
        started_at timestamptz NOT NULL,
        fired_at timestamptz,
        resolved_at timestamptz,
        clear_since timestamptz,
        acknowledged_by uuid REFERENCES users (id) ON DELETE SET NULL,
        acknowledged_at timestamptz,
        ack_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX alerts_open_uq ON alerts (rule_id, device_id) WHERE state IN ('pending', 'firing')`,
    );
    await q.query(`CREATE INDEX alerts_device_idx ON alerts (device_id, started_at DESC)`);
    await q.query(`CREATE INDEX alerts_state_idx ON alerts (state, severity) WHERE state <> 'resolved'`);
    await q.query(`
      CREATE TABLE alert_rule_state (
        rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        device_id text NOT NULL,
        last_ts timestamptz NOT NULL,
        PRIMARY KEY (rule_id, device_id)
      )`);
    await q.query(`
      CREATE TABLE alert_events (
        id bigserial PRIMARY KEY,
        alert_id bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        transition text NOT NULL CHECK (transition IN ('firing', 'resolved', 'acknowledged')),
        action_index integer NOT NULL,
        action jsonb NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        outcome text,
        idempotency_key uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        UNIQUE (alert_id, transition, action_index)
      )`);
    await q.query(
      `CREATE INDEX alert_events_pending_idx ON alert_events (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE reading_changes (
        id bigserial PRIMARY KEY,
        device_id text NOT NULL,
        metric text NOT NULL,
        ts_min timestamptz NOT NULL,
        ts_max timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE FUNCTION readings_log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO reading_changes (device_id, metric, ts_min, ts_max)
          SELECT n.device_id, n.metric, min(n.ts), max(n.ts) FROM new_rows n
          WHERE n.metric IN (SELECT r.metric FROM alert_rules r WHERE r.enabled)
          GROUP BY n.device_id, n.metric;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER readings_log_changes AFTER INSERT ON readings REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION readings_log_changes()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER readings_log_changes ON readings`);
    await q.query(`DROP FUNCTION readings_log_changes()`);
    await q.query(`DROP TABLE reading_changes`);
    await q.query(`DROP TABLE alert_events`);
    await q.query(`DROP TABLE alert_rule_state`);
    await q.query(`DROP TABLE alerts`);
    await q.query(`DROP TABLE alert_rules`);
  }
}
