import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

import { ALERT_SEVERITIES, LiveAlert } from '@sensorhub/domain';

import { deviceScopesAsLike, deviceScopesOf, mayAccessDevice } from '../common/device-scope';
import { Principal } from '../common/decorators/principal.decorator';
import { conflict, forbidden, notFound } from '../common/errors';
import { MetricsService } from '../metrics/metrics.service';
import { notifyAlerts } from './alert-sql';
import { AlertDto, AlertEventDto, AlertsPageDto, AlertsQueryDto } from './dto/alert.dto';

const SELECT = `
  SELECT a.id, a.rule_id, r.name AS rule_name, a.device_id, d.name AS device_name, a.metric, a.severity, a.state, a.value, r.threshold,
         r.threshold_high, a.started_at, a.fired_at, a.resolved_at, a.acknowledged_by, u.email AS ack_email,
         a.acknowledged_at, a.ack_note
    FROM alerts a JOIN alert_rules r ON r.id = a.rule_id LEFT JOIN users u ON u.id = a.acknowledged_by
    LEFT JOIN devices d ON d.id = a.device_id`;

@Injectable()
export class AlertsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const ds = this.ds;
    new Gauge({
      name: 'alerts_firing',
      help: 'alerts firing now, by severity',
      labelNames: ['severity'] as const,
      registers: [this.metrics.registry],
      async collect() {
        const rows: { severity: string; n: string }[] = await ds
          .query(`SELECT severity, count(*) AS n FROM alerts WHERE state = 'firing' GROUP BY 1`)
          .catch(() => []);
        for (const s of ALERT_SEVERITIES)
          this.set({ severity: s }, Number(rows.find((r) => r.severity === s)?.n ?? 0));
      },
    });
    new Gauge({
      name: 'alert_events_pending',
      help: 'alert actions waiting in the outbox (including retries)',
      registers: [this.metrics.registry],
      async collect() {
        const [row] = await ds
          .query(`SELECT count(*) AS n FROM alert_events WHERE status = 'pending'`)
          .catch(() => [{ n: 0 }]);
        this.set(Number(row.n));
      },
    });
  }

  /** Firing first, then pending, then resolved; within each the most severe, then the newest. */
  async list(q: AlertsQueryDto, me: Principal): Promise<AlertsPageDto> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.state) add('a.state = ?', q.state);
    if (q.severity) add('a.severity = ?', q.severity);
    if (q.deviceId) add('a.device_id = ?', q.deviceId);
    if (q.ruleId) add('a.rule_id = ?', q.ruleId);
    if (q.from) add('a.started_at >= ?', new Date(q.from));
    if (q.to) add('a.started_at < ?', new Date(q.to));
    const scopes = deviceScopesOf(me);
    if (scopes) add('a.device_id LIKE ANY(?)', deviceScopesAsLike(scopes));
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows: Record<string, unknown>[] = await this.ds.query(
      `${SELECT} ${w}
        ORDER BY CASE a.state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
                 CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.started_at DESC, a.id DESC
        LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    );
    const [{ n }] = await this.ds.query(`SELECT count(*) AS n FROM alerts a ${w}`, params);
    const firing: Record<string, number> = { critical: 0, warning: 0, info: 0 };
    const fp: unknown[] = [];
    let fw = `WHERE state = 'firing'`;
    if (scopes) {
      fp.push(deviceScopesAsLike(scopes));
      fw += ` AND device_id LIKE ANY($1)`;
    }
    for (const r of (await this.ds.query(
      `SELECT severity, count(*) AS n FROM alerts ${fw} GROUP BY 1`,
      fp,
    )) as { severity: string; n: string }[])
      firing[r.severity] = Number(r.n);
    return { items: rows.map(toAlert), total: Number(n), firing };
  }

  async get(id: string, me: Principal): Promise<AlertDto> {
    const [row] = await this.ds.query(`${SELECT} WHERE a.id = $1`, [id]);
    if (!row || !mayAccessDevice(me, row.device_id)) throw notFound('alert');
    return toAlert(row);
  }

  /** Records who acknowledged and why; the SSE event goes out with the commit. */
  async acknowledge(id: string, me: Principal, note?: string): Promise<AlertDto> {
    if (me.kind !== 'user') throw forbidden('alerts are acknowledged by a person: log in as an operator');
    await this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `SELECT a.*, r.name AS rule_name FROM alerts a JOIN alert_rules r ON r.id = a.rule_id
                                    WHERE a.id = $1 FOR UPDATE OF a`,
        [id],
      );
      if (!row) throw notFound('alert');
      if (row.acknowledged_at) throw conflict('this alert is already acknowledged');
      await m.query(
        `UPDATE alerts SET acknowledged_by = $2, acknowledged_at = now(), ack_note = $3, updated_at = now() WHERE id = $1`,
        [id, me.id, note ?? null],
      );
      const live: LiveAlert = {
        alertId: String(row.id),
        ruleId: row.rule_id,
        ruleName: row.rule_name,
        deviceId: row.device_id,
        metric: row.metric,
        severity: row.severity,
        transition: 'acknowledged',
        state: row.state,
        value: row.value === null ? null : Number(row.value),
        at: new Date().toISOString(),
      };
      await m.query(
        `INSERT INTO alert_events (alert_id, transition, action_index, action, payload, status, outcome, processed_at)
         VALUES ($1, 'acknowledged', -1, '{"type":"sse"}', $2, 'done', 'notified', now())
         ON CONFLICT DO NOTHING`,
        [id, JSON.stringify({ event: 'alert.acknowledged', ...live, by: me.email, note: note ?? null })],
      );
      await notifyAlerts(m.queryRunner!, [live]);
    });
    return this.get(id, me);
  }

  async events(id: string, me: Principal): Promise<AlertEventDto[]> {
    await this.get(id, me);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT id, transition, action ->> 'type' AS action, status, attempts, outcome, idempotency_key, created_at,
              processed_at, next_attempt_at
         FROM alert_events WHERE alert_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((r) => ({
      id: String(r.id),
      transition: r.transition as string,
      action: r.action as string,
      status: r.status as string,
      attempts: r.attempts as number,
      outcome: (r.outcome as string) ?? null,
      idempotencyKey: r.idempotency_key as string,
      createdAt: r.created_at as Date,
      processedAt: (r.processed_at as Date) ?? null,
      nextAttemptAt: r.next_attempt_at as Date,
    }));
  }
}

function toAlert(r: Record<string, unknown>): AlertDto {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(r.id),
    ruleId: r.rule_id as string,
    ruleName: r.rule_name as string,
    deviceId: r.device_id as string,
    deviceName: (r.device_name as string) ?? null,
    metric: r.metric as string,
    severity: r.severity as string,
    state: r.state as string,
    value: num(r.value),
    threshold: num(r.threshold),
    thresholdHigh: num(r.threshold_high),
    startedAt: r.started_at as Date,
    firedAt: (r.fired_at as Date) ?? null,
    resolvedAt: (r.resolved_at as Date) ?? null,
    acknowledgedBy: (r.acknowledged_by as string) ?? null,
    acknowledgedByEmail: (r.ack_email as string) ?? null,
    acknowledgedAt: (r.acknowledged_at as Date) ?? null,
    ackNote: (r.ack_note as string) ?? null,
  };
}
