import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Subscription } from 'rxjs';
import { DataSource, QueryRunner } from 'typeorm';

import { LiveAlert, OpenState, step, Transition, withRates } from '@sensorhub/domain';

import { JsonLogger } from '../common/logging/json-logger';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';
import { LiveService } from '../live/live.service';
import { MetricsService } from '../metrics/metrics.service';
import { AlertActionsService } from './alert-actions.service';
import { inScope, notifyAlerts, RULE_COLUMNS, RuleRow, scopeParams, scopeSql, toRule } from './alert-sql';

/** pg_try_advisory_xact_lock key: one evaluator at a time across every replica */
const EVAL_LOCK = 0x5e75a1e7;
const CHANGES_PER_TX = 2000;

/** timestamps cross into JavaScript as epoch microseconds (exact in a double): a Date would cut them to ms */
const US = (col: string) => `(extract(epoch FROM ${col}) * 1000000)::bigint`;
const TS = (col: string) => `(timestamptz 'epoch' + ${col} * interval '1 microsecond')`;

interface Change {
  device_id: string;
  metric: string;
  lo: string;
  hi: string;
  created_at: Date;
}

interface OpenAlertRow extends OpenState {
  id: string;
}

/**
 * The alert processor. Each round, in one transaction under an advisory lock: takes the `reading_changes` rows the
 * readings trigger logged (any writer: ingest, psql, COPY), evaluates the new readings of each (rule, device) in ts
 * order, applies time-based transitions (durations, no data), writes alerts and their outbox rows, NOTIFYs the SSE
 * event, and deletes the change rows. A crash rolls all of it back and the next round (on any replica) redoes it.
 * Then it performs due outbox actions (AlertActionsService). Woken by ingest's NOTIFY, and every PROCESSOR_INTERVAL_MS.
 */
@Injectable()
export class AlertsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private sub?: Subscription;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastError = '';

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly logger: JsonLogger,
    private readonly live: LiveService,
    private readonly actions: AlertActionsService,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.PROCESSOR_ENABLED) return;
    this.timer = setInterval(() => this.kick(), this.config.PROCESSOR_INTERVAL_MS);
    this.sub = this.live.notifications.subscribe((n) => {
      if (n.readings?.length) this.kick();
    });
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.sub?.unsubscribe();
    await this.running;
  }

  /** Runs a round now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while ((await this.evaluate()) && !this.stopped);
          await this.actions.performDue();
          this.lastError = '';
        } catch (e) {
          const msg = (e as Error).message;
          // one line per distinct failure (a database outage would otherwise log every round)
          if (msg !== this.lastError)
            this.logger.warn({ msg: 'alert processor round failed', error: msg }, 'Alerts');
          this.lastError = msg;
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
  }

  /** One evaluation transaction; true when there may be more changes waiting. */
  async evaluate(): Promise<boolean> {
    const q = this.ds.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      const [{ locked }] = await q.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [EVAL_LOCK]);
      if (!locked) {
        await q.rollbackTransaction();
        return false;
      }
      // structured: TypeORM hands DELETE … RETURNING back as [rows, count] otherwise
      const changes: Change[] = (
        await q.query(
          `DELETE FROM reading_changes WHERE id IN (
             SELECT id FROM reading_changes ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING device_id, metric, ${US('ts_min')} AS lo, ${US('ts_max')} AS hi, created_at`,
          [CHANGES_PER_TX],
          true,
        )
      ).records;
      const rules = (
        (await q.query(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE enabled`)) as object[]
      ).map((r) => toRule(r as Record<string, unknown>));
      const out: LiveAlert[] = [];
      if (changes.length && rules.length) await this.evaluateChanges(q, rules, changes, out);
      await this.evaluateTime(q, rules, out);
      await notifyAlerts(q, out);
      await q.commitTransaction();
      if (changes.length) {
        const oldest = Math.min(...changes.map((c) => c.created_at.getTime()));
        this.metrics.alertEvaluationLag.set((Date.now() - oldest) / 1000);
      } else this.metrics.alertEvaluationLag.set(0);
      return changes.length === CHANGES_PER_TX;
    } catch (e) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await q.release();
    }
  }

  private async evaluateChanges(
    q: QueryRunner,
    rules: RuleRow[],
    changes: Change[],
    out: LiveAlert[],
  ): Promise<void> {
    const deviceIds = [...new Set(changes.map((c) => c.device_id))];
    const meta = new Map<string, Record<string, unknown>>();
    if (rules.some((r) => r.scope === 'metadata')) {
      const rows: { id: string; metadata: Record<string, unknown> }[] = await q.query(
        `SELECT id, metadata FROM devices WHERE id = ANY($1)`,
        [deviceIds],
      );
      for (const r of rows) meta.set(r.id, r.metadata);
    }
    // one ts range per (device, metric); readings in it that a rule already evaluated are skipped by its watermark
    const keys = new Map<string, { d: string; m: string; lo: number; hi: number; rules: RuleRow[] }>();
    for (const c of changes) {
      const k = `${c.device_id}\u0000${c.metric}`;
      const cur = keys.get(k);
      if (cur) {
        cur.lo = Math.min(cur.lo, Number(c.lo));
        cur.hi = Math.max(cur.hi, Number(c.hi));
        continue;
      }
      const applicable = rules.filter(
        (r) => r.metric === c.metric && inScope(r, c.device_id, meta.get(c.device_id)),
      );
      if (applicable.length)
        keys.set(k, {
          d: c.device_id,
          m: c.metric,
          lo: Number(c.lo),
          hi: Number(c.hi),
          rules: applicable,
        });
    }
    if (!keys.size) return;
    const ks = [...keys.values()];
    const rows: { device_id: string; metric: string; us: string; value: number; prev: boolean }[] =
      await q.query(
        `SELECT k.d AS device_id, k.m AS metric, ${US('r.ts')} AS us, r.value, r.prev
         FROM (SELECT d, m, ${TS('lo')} AS lo, ${TS('hi')} AS hi
                 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS x(d, m, lo, hi)) k
         CROSS JOIN LATERAL (
           (SELECT ts, value, true AS prev FROM readings
             WHERE device_id = k.d AND metric = k.m AND ts < k.lo ORDER BY ts DESC LIMIT 1)
           UNION ALL
           (SELECT ts, value, false FROM readings WHERE device_id = k.d AND metric = k.m AND ts BETWEEN k.lo AND k.hi)
         ) r
        ORDER BY 1, 2, 3`,
        [ks.map((k) => k.d), ks.map((k) => k.m), ks.map((k) => k.lo), ks.map((k) => k.hi)],
      );
    const series = new Map<string, { ts: number; us: number; value: number; prev: boolean }[]>();
    for (const r of rows) {
      const k = `${r.device_id}\u0000${r.metric}`;
      let s = series.get(k);
      if (!s) series.set(k, (s = []));
      const us = Number(r.us);
      s.push({ ts: us / 1000, us, value: Number(r.value), prev: r.prev });
    }
    const pairs = ks.flatMap((k) => k.rules.map((r) => ({ rule: r, key: k })));
    const ruleIds = pairs.map((p) => p.rule.id);
    const devIds = pairs.map((p) => p.key.d);
    const marks = new Map<string, number>();
    for (const r of (await q.query(
      `SELECT s.rule_id, s.device_id, ${US('s.last_ts')} AS last_us FROM alert_rule_state s
         JOIN unnest($1::uuid[], $2::text[]) AS p(rule_id, device_id) USING (rule_id, device_id)`,
      [ruleIds, devIds],
    )) as { rule_id: string; device_id: string; last_us: string }[])
      marks.set(`${r.rule_id}\u0000${r.device_id}`, Number(r.last_us));
    const open = new Map<string, OpenAlertRow>();
    for (const a of (await q.query(
      `SELECT a.id, a.rule_id, a.device_id, a.state, a.started_at, a.clear_since, a.value FROM alerts a
         JOIN unnest($1::uuid[], $2::text[]) AS p(rule_id, device_id) USING (rule_id, device_id)
        WHERE a.state IN ('pending', 'firing')`,
      [ruleIds, devIds],
    )) as Record<string, unknown>[])
      open.set(`${a.rule_id as string}\u0000${a.device_id as string}`, openRow(a));

    const newMarks: { rule: string; device: string; us: number }[] = [];
    for (const { rule, key } of pairs) {
      const all = series.get(`${key.d}\u0000${key.m}`) ?? [];
      const pk = `${rule.id}\u0000${key.d}`;
      const mark = marks.get(pk) ?? -Infinity;
      const first = all.findIndex((s) => !s.prev && s.us > mark);
      if (first < 0) continue;
      const fresh = all.slice(first).filter((s) => !s.prev);
      const samples =
        rule.condition === 'rate' ? withRates(fresh, first > 0 ? all[first - 1] : undefined) : fresh;
      let state: OpenAlertRow | null = open.get(pk) ?? null;
      for (const s of samples) {
        const res = step(rule, state, s);
        for (const t of res.out) state = await this.apply(q, rule, key.d, state, res.open, t, out);
        if (!res.out.length) state = state && res.open ? { ...state, ...res.open } : state;
      }
      newMarks.push({ rule: rule.id, device: key.d, us: fresh[fresh.length - 1].us });
    }
    if (newMarks.length)
      await q.query(
        `INSERT INTO alert_rule_state (rule_id, device_id, last_ts)
           SELECT r, d, ${TS('u')} FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS x(r, d, u)
         ON CONFLICT (rule_id, device_id) DO UPDATE SET last_ts = greatest(alert_rule_state.last_ts, EXCLUDED.last_ts)`,
        [newMarks.map((m) => m.rule), newMarks.map((m) => m.device), newMarks.map((m) => m.us)],
      );
  }

  /** Durations that ran out without new readings, and devices that went silent. */
  private async evaluateTime(q: QueryRunner, rules: RuleRow[], out: LiveAlert[]): Promise<void> {
    if (!rules.length) return;
    const byId = new Map(rules.map((r) => [r.id, r]));
    const due = (await q.query(
      `SELECT a.id, a.rule_id, a.device_id, a.state, a.started_at, a.clear_since, a.value
         FROM alerts a JOIN alert_rules r ON r.id = a.rule_id AND r.enabled
        WHERE (a.state = 'pending' AND a.started_at + make_interval(secs => r.duration_seconds) <= now())
           OR (a.state = 'firing' AND a.clear_since + make_interval(secs => r.duration_seconds) <= now())`,
    )) as Record<string, unknown>[];
    const now = Date.now();
    for (const a of due) {
      const rule = byId.get(a.rule_id as string);
      if (!rule) continue;
      const row = openRow(a);
      const kind = row.state === 'pending' ? 'firing' : 'resolved';
      await this.apply(q, rule, a.device_id as string, row, null, { kind, at: now, value: row.value }, out);
    }
    for (const rule of rules.filter((r) => r.condition === 'no_data')) {
      const silent: { id: string }[] = await q.query(
        `SELECT d.id FROM devices d
           CROSS JOIN LATERAL (SELECT max(ts) AS ts FROM readings r WHERE r.device_id = d.id AND r.metric = $1) l
          WHERE ${scopeSql(4)} AND l.ts < now() - make_interval(secs => $2)
            AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.rule_id = $3 AND a.device_id = d.id
                              AND a.state IN ('pending', 'firing'))`,
        [rule.metric, rule.noDataSeconds, rule.id, ...scopeParams(rule)],
      );
      for (const d of silent)
        await this.apply(q, rule, d.id, null, null, { kind: 'firing', at: now, value: null }, out);
    }
  }

  /** Writes one transition; returns the (rule, device)'s open alert after it. */
  private async apply(
    q: QueryRunner,
    rule: RuleRow,
    deviceId: string,
    cur: OpenAlertRow | null,
    next: OpenState | null,
    t: Transition,
    out: LiveAlert[],
  ): Promise<OpenAlertRow | null> {
    const at = new Date(t.at);
    switch (t.kind) {
      case 'pending': {
        const [{ id }] = await q.query(
          `INSERT INTO alerts (rule_id, device_id, metric, severity, state, value, started_at)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id`,
          [rule.id, deviceId, rule.metric, rule.severity, t.value, at],
        );
        return { id: String(id), state: 'pending', startedAt: t.at, clearSince: null, value: t.value };
      }
      case 'cancelled':
        await q.query(`DELETE FROM alerts WHERE id = $1 AND state = 'pending'`, [cur!.id]);
        return null;
      case 'clearing':
      case 'unclearing':
        await q.query(`UPDATE alerts SET clear_since = $2, updated_at = now() WHERE id = $1`, [
          cur!.id,
          t.kind === 'clearing' ? at : null,
        ]);
        return { ...cur!, clearSince: t.kind === 'clearing' ? t.at : null };
      case 'firing': {
        let id = cur?.id;
        if (id)
          await q.query(
            `UPDATE alerts SET state = 'firing', fired_at = $2, value = coalesce($3, value), updated_at = now()
              WHERE id = $1`,
            [id, at, t.value],
          );
        else
          id = String(
            (
              await q.query(
                `INSERT INTO alerts (rule_id, device_id, metric, severity, state, value, started_at, fired_at)
                 VALUES ($1, $2, $3, $4, 'firing', $5, $6, $6) RETURNING id`,
                [rule.id, deviceId, rule.metric, rule.severity, t.value, at],
              )
            )[0].id,
          );
        await this.outbox(q, rule, deviceId, id, 'firing', t, out);
        return { id, state: 'firing', startedAt: cur?.startedAt ?? t.at, clearSince: null, value: t.value };
      }
      case 'resolved':
        await q.query(
          `UPDATE alerts SET state = 'resolved', resolved_at = $2, clear_since = NULL, updated_at = now() WHERE id = $1`,
          [cur!.id, at],
        );
        await this.outbox(q, rule, deviceId, cur!.id, 'resolved', t, out);
        return next ? cur : null;
    }
  }

  /** The transition's outbox rows: the SSE event (sent by this transaction's NOTIFY) and one per rule action. */
  private async outbox(
    q: QueryRunner,
    rule: RuleRow,
    deviceId: string,
    alertId: string,
    transition: 'firing' | 'resolved',
    t: Transition,
    out: LiveAlert[],
  ): Promise<void> {
    const live: LiveAlert = {
      alertId,
      ruleId: rule.id,
      ruleName: rule.name,
      deviceId,
      metric: rule.metric,
      severity: rule.severity,
      transition,
      state: transition,
      value: t.value,
      at: new Date(t.at).toISOString(),
    };
    const payload = {
      event: `alert.${transition}`,
      ...live,
      condition: rule.condition,
      threshold: rule.threshold,
    };
    const actions = [{ type: 'sse' }, ...rule.actions];
    await q.query(
      `INSERT INTO alert_events (alert_id, transition, action_index, action, payload, status, outcome, processed_at)
       SELECT $1, $2, i - 2, a, $4, CASE WHEN i = 1 THEN 'done' ELSE 'pending' END,
              CASE WHEN i = 1 THEN 'notified' END, CASE WHEN i = 1 THEN now() END
         FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(a, i)
       ON CONFLICT (alert_id, transition, action_index) DO NOTHING`,
      [alertId, transition, JSON.stringify(actions), JSON.stringify(payload)],
    );
    out.push(live);
  }
}

function openRow(a: Record<string, unknown>): OpenAlertRow {
  return {
    id: String(a.id),
    state: a.state as 'pending' | 'firing',
    startedAt: (a.started_at as Date).getTime(),
    clearSince: a.clear_since ? (a.clear_since as Date).getTime() : null,
    value: a.value === null ? null : Number(a.value),
  };
}
