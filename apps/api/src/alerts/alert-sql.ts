import {
  AlertAction,
  AlertRule,
  LIVE_CHANNEL,
  LIVE_PAYLOAD_LIMIT,
  LiveAlert,
  RuleLogic,
} from '@sensorhub/domain';
import { QueryRunner } from 'typeorm';

/** alert_rules row → the rule as the evaluator and the API use it. */
export type RuleRow = Omit<AlertRule, 'createdAt' | 'updatedAt' | 'createdBy'> &
  RuleLogic & { createdBy: string | null; createdAt: Date; updatedAt: Date };

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export const RULE_COLUMNS = `id, name, scope, scope_device_id, scope_key, scope_value, metric, condition, threshold,
  threshold_high, clear_threshold, clear_threshold_high, no_data_seconds, duration_seconds, severity, enabled, actions,
  created_by, created_at, updated_at`;

export function toRule(r: Record<string, unknown>): RuleRow {
  return {
    id: r.id as string,
    name: r.name as string,
    scope: r.scope as RuleRow['scope'],
    scopeDeviceId: (r.scope_device_id as string) ?? null,
    scopeKey: (r.scope_key as string) ?? null,
    scopeValue: (r.scope_value as string) ?? null,
    metric: r.metric as string,
    condition: r.condition as RuleRow['condition'],
    threshold: num(r.threshold),
    thresholdHigh: num(r.threshold_high),
    clearThreshold: num(r.clear_threshold),
    clearThresholdHigh: num(r.clear_threshold_high),
    noDataSeconds: num(r.no_data_seconds),
    durationSeconds: Number(r.duration_seconds),
    severity: r.severity as RuleRow['severity'],
    enabled: r.enabled as boolean,
    actions: (r.actions as AlertAction[]) ?? [],
    createdBy: (r.created_by as string) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** Whether the rule watches this device (metadata values compare as text, like `metadata ->> key` does). */
export function inScope(
  r: RuleRow,
  deviceId: string,
  metadata: Record<string, unknown> | undefined,
): boolean {
  if (r.scope === 'all') return true;
  if (r.scope === 'device') return r.scopeDeviceId === deviceId;
  const v = metadata?.[r.scopeKey!];
  if (v === undefined || v === null) return false;
  return (typeof v === 'object' ? JSON.stringify(v) : String(v)) === r.scopeValue;
}

/** SQL condition on `devices d` for a rule's scope; parameters $n (device), $n+1 (key), $n+2 (value). */
export const scopeSql = (n: number) =>
  `($${n}::text IS NULL OR d.id = $${n}) AND ($${n + 1}::text IS NULL OR d.metadata ->> $${n + 1} = $${n + 2})`;
export const scopeParams = (r: RuleRow) => [
  r.scope === 'device' ? r.scopeDeviceId : null,
  r.scope === 'metadata' ? r.scopeKey : null,
  r.scope === 'metadata' ? r.scopeValue : null,
];

/** NOTIFYs alert transitions on the live channel: delivered to every API replica's SSE clients on commit only. */
export async function notifyAlerts(q: QueryRunner, alerts: LiveAlert[]): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!batch.length) return;
    await q.query(`SELECT pg_notify($1, $2)`, [
      LIVE_CHANNEL,
      `{"readings":[],"devices":[],"alerts":[${batch.join(',')}]}`,
    ]);
    batch = [];
    size = 0;
  };
  for (const a of alerts) {
    const json = JSON.stringify(a);
    if (size + Buffer.byteLength(json) + 64 > LIVE_PAYLOAD_LIMIT) await flush();
    batch.push(json);
    size += Buffer.byteLength(json) + 1;
  }
  await flush();
}
