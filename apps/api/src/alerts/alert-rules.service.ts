import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { replay, ruleProblems, withRates } from '@sensorhub/domain';

import { Principal } from '../common/decorators/principal.decorator';
import { badRequest, forbidden, notFound } from '../common/errors';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';
import { PermanentFailure, resolveScript } from './alert-actions.service';
import { RULE_COLUMNS, RuleRow, scopeParams, scopeSql, toRule } from './alert-sql';
import {
  AlertRuleDto,
  CreateAlertRuleDto,
  PreviewAlertRuleDto,
  PreviewResultDto,
  UpdateAlertRuleDto,
} from './dto/alert-rule.dto';

const PREVIEW_DEVICES = 50;
const PREVIEW_READINGS = 200_000;

@Injectable()
export class AlertRulesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async list(): Promise<AlertRuleDto[]> {
    const rows = (await this.ds.query(
      `SELECT ${RULE_COLUMNS} FROM alert_rules ORDER BY name, id`,
    )) as object[];
    return rows.map((r) => toDto(toRule(r as Record<string, unknown>)));
  }

  async get(id: string): Promise<AlertRuleDto> {
    return toDto(await this.row(id));
  }

  async create(dto: CreateAlertRuleDto, me: Principal): Promise<AlertRuleDto> {
    const rule = normalise(dto);
    await this.check(rule, me, []);
    const [row] = await this.ds.query(
      `INSERT INTO alert_rules (name, scope, scope_device_id, scope_key, scope_value, metric, condition, threshold,
         threshold_high, clear_threshold, clear_threshold_high, no_data_seconds, duration_seconds, severity, enabled,
         actions, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING ${RULE_COLUMNS}`,
      [...values(rule), me.kind === 'user' ? me.id : null],
    );
    return toDto(toRule(row));
  }

  async update(id: string, dto: UpdateAlertRuleDto, me: Principal): Promise<AlertRuleDto> {
    const cur = await this.row(id);
    const merged = normalise({ ...toDto(cur), ...dto } as CreateAlertRuleDto);
    await this.check(merged, me, cur.actions);
    const [row] = await this.ds.query(
      `UPDATE alert_rules SET name = $1, scope = $2, scope_device_id = $3, scope_key = $4, scope_value = $5,
         metric = $6, condition = $7, threshold = $8, threshold_high = $9, clear_threshold = $10,
         clear_threshold_high = $11, no_data_seconds = $12, duration_seconds = $13, severity = $14, enabled = $15,
         actions = $16, updated_at = now()
       WHERE id = $17 RETURNING ${RULE_COLUMNS}`,
      [...values(merged), id],
    );
    return toDto(toRule(row));
  }

  async remove(id: string, me: Principal): Promise<void> {
    const cur = await this.row(id);
    if (cur.actions.some((a) => a.type === 'script') && !isAdmin(me))
      throw forbidden('only admins may delete a rule that runs a script');
    await this.ds.query(`DELETE FROM alert_rules WHERE id = $1`, [id]);
  }

  /** Replays a draft rule over stored readings: when it would have fired and resolved, per device. */
  async preview(dto: PreviewAlertRuleDto): Promise<PreviewResultDto> {
    const rule = normalise(dto);
    const problems = ruleProblems(rule);
    if (problems.length) throw badRequest('this rule could never fire or never clear', problems);
    const to = dto.to ? new Date(dto.to) : new Date();
    const from = dto.from ? new Date(dto.from) : new Date(to.getTime() - 86_400_000);
    if (!(from < to)) throw badRequest('from must be before to', [{ field: 'from', errors: ['after to'] }]);
    // one device: its readings even if it has no devices row (readings written with psql)
    const devices: { id: string }[] =
      rule.scope === 'device'
        ? [{ id: rule.scopeDeviceId! }]
        : await this.ds.query(
            `SELECT d.id FROM devices d WHERE ${scopeSql(1)} ORDER BY d.id LIMIT ${PREVIEW_DEVICES}`,
            scopeParams(rule),
          );
    const rows: { device_id: string; ts: Date; value: number }[] = devices.length
      ? await this.ds.query(
          `SELECT device_id, ts, value FROM readings
            WHERE device_id = ANY($1) AND metric = $2 AND ts >= $3 AND ts <= $4
            ORDER BY device_id, ts LIMIT ${PREVIEW_READINGS + 1}`,
          [devices.map((d) => d.id), rule.metric, from, to],
        )
      : [];
    const truncated = rows.length > PREVIEW_READINGS;
    const by = new Map<string, { ts: number; value: number }[]>();
    for (const r of rows.slice(0, PREVIEW_READINGS)) {
      let s = by.get(r.device_id);
      if (!s) by.set(r.device_id, (s = []));
      s.push({ ts: r.ts.getTime(), value: Number(r.value) });
    }
    const out = [];
    for (const [deviceId, samples] of by) {
      const transitions = replay(rule, withRates(samples), to.getTime())
        .filter((t) => t.kind === 'firing' || t.kind === 'resolved')
        .map((t) => ({ kind: t.kind, at: new Date(t.at).toISOString(), value: t.value }));
      out.push({ deviceId, transitions });
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      readings: Math.min(rows.length, PREVIEW_READINGS),
      truncated,
      devices: out,
    };
  }

  private async row(id: string): Promise<RuleRow> {
    const [row] = await this.ds.query(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
    if (!row) throw notFound('alert rule');
    return toRule(row);
  }

  /** 400 with field-level details for a rule that cannot fire or clear, or an action that cannot run; 403 for scripts. */
  private async check(rule: RuleRow, me: Principal, before: RuleRow['actions']): Promise<void> {
    const problems = ruleProblems(rule);
    const scriptsBefore = JSON.stringify(before.filter((a) => a.type === 'script'));
    const scriptsNow = JSON.stringify(rule.actions.filter((a) => a.type === 'script'));
    if (scriptsBefore !== scriptsNow && !isAdmin(me))
      throw forbidden('only admins may add or change script actions');
    for (const [i, a] of rule.actions.entries()) {
      if (a.type === 'webhook' && !this.config.ALERT_WEBHOOK_SECRET)
        problems.push({
          field: `actions[${i}].url`,
          errors: ['webhooks need ALERT_WEBHOOK_SECRET set on the server'],
        });
      if (a.type === 'script')
        await resolveScript(this.config.ALERT_SCRIPTS_DIR, a.path).catch((e: Error) => {
          if (!(e instanceof PermanentFailure)) throw e;
          problems.push({ field: `actions[${i}].path`, errors: [e.message] });
        });
    }
    if (problems.length)
      throw badRequest('this rule could never fire or never clear, or cannot act', problems);
  }
}

const isAdmin = (me: Principal) => me.kind === 'user' && me.role === 'admin';

function normalise(dto: CreateAlertRuleDto): RuleRow {
  const r: RuleRow = {
    id: '',
    name: dto.name,
    scope: dto.scope,
    scopeDeviceId: dto.scope === 'device' ? (dto.scopeDeviceId ?? null) : null,
    scopeKey: dto.scope === 'metadata' ? (dto.scopeKey ?? null) : null,
    scopeValue: dto.scope === 'metadata' ? (dto.scopeValue ?? null) : null,
    metric: dto.metric,
    condition: dto.condition,
    threshold: dto.threshold ?? null,
    thresholdHigh: dto.condition === 'outside' ? (dto.thresholdHigh ?? null) : null,
    clearThreshold: dto.clearThreshold ?? null,
    clearThresholdHigh: dto.condition === 'outside' ? (dto.clearThresholdHigh ?? null) : null,
    noDataSeconds: dto.condition === 'no_data' ? (dto.noDataSeconds ?? null) : null,
    durationSeconds: dto.durationSeconds ?? 0,
    severity: dto.severity,
    enabled: dto.enabled ?? true,
    actions: (dto.actions ?? []).map((a) =>
      a.type === 'mqtt'
        ? {
            type: 'mqtt',
            ...(a.topic !== undefined && { topic: a.topic }),
            ...(a.payload !== undefined && { payload: a.payload }),
          }
        : a.type === 'webhook'
          ? { type: 'webhook', url: a.url! }
          : { type: 'script', path: a.path! },
    ),
    createdBy: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  if (r.condition === 'no_data') {
    r.threshold = null;
    r.clearThreshold = null;
  } else if (r.condition !== 'outside') r.clearThreshold ??= r.threshold;
  else {
    r.clearThreshold ??= r.threshold;
    r.clearThresholdHigh ??= r.thresholdHigh;
  }
  return r;
}

function values(r: RuleRow): unknown[] {
  return [
    r.name,
    r.scope,
    r.scopeDeviceId,
    r.scopeKey,
    r.scopeValue,
    r.metric,
    r.condition,
    r.threshold,
    r.thresholdHigh,
    r.clearThreshold,
    r.clearThresholdHigh,
    r.noDataSeconds,
    r.durationSeconds,
    r.severity,
    r.enabled,
    JSON.stringify(r.actions),
  ];
}

function toDto(r: RuleRow): AlertRuleDto {
  const strip = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
  return {
    ...strip({
      scopeDeviceId: r.scopeDeviceId,
      scopeKey: r.scopeKey,
      scopeValue: r.scopeValue,
      threshold: r.threshold,
      thresholdHigh: r.thresholdHigh,
      clearThreshold: r.clearThreshold,
      clearThresholdHigh: r.clearThresholdHigh,
      noDataSeconds: r.noDataSeconds,
    }),
    id: r.id,
    name: r.name,
    scope: r.scope,
    metric: r.metric,
    condition: r.condition,
    durationSeconds: r.durationSeconds,
    severity: r.severity,
    enabled: r.enabled,
    actions: r.actions,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  } as AlertRuleDto;
}
