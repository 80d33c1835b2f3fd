import { AlertAction, AlertRule, AlertRuleDraft, ApiError } from '../../../core/api.types';
import { isApiError } from '../../../core/errors';

/** The editor's fields as strings and flags (numbers stay text until sent, so an empty field means "not set"). */
export interface RuleFields {
  name: string;
  scope: AlertRuleDraft['scope'];
  scopeDeviceId: string;
  scopeKey: string;
  scopeValue: string;
  metric: string;
  condition: AlertRuleDraft['condition'];
  threshold: string;
  thresholdHigh: string;
  clearThreshold: string;
  clearThresholdHigh: string;
  noDataSeconds: string;
  durationSeconds: string;
  severity: AlertRuleDraft['severity'];
  enabled: boolean;
  actions: { type: AlertAction['type']; topic: string; payload: string; url: string; path: string }[];
}

const text = (v: number | string | undefined) => (v === undefined ? '' : String(v));

export function fieldsOf(rule: AlertRule | null): RuleFields {
  return {
    name: rule?.name ?? '',
    scope: rule?.scope ?? 'device',
    scopeDeviceId: rule?.scopeDeviceId ?? '',
    scopeKey: rule?.scopeKey ?? '',
    scopeValue: rule?.scopeValue ?? '',
    metric: rule?.metric ?? '',
    condition: rule?.condition ?? 'above',
    threshold: text(rule?.threshold),
    thresholdHigh: text(rule?.thresholdHigh),
    clearThreshold: text(rule?.clearThreshold),
    clearThresholdHigh: text(rule?.clearThresholdHigh),
    noDataSeconds: text(rule?.noDataSeconds),
    durationSeconds: text(rule?.durationSeconds ?? 0),
    severity: rule?.severity ?? 'warning',
    enabled: rule?.enabled ?? true,
    actions: (rule?.actions ?? []).map((a) => ({
      type: a.type,
      topic: a.type === 'mqtt' ? (a.topic ?? '') : '',
      payload: a.type === 'mqtt' ? (a.payload ?? '') : '',
      url: a.type === 'webhook' ? a.url : '',
      path: a.type === 'script' ? a.path : '',
    })),
  };
}

/**
 * The request body for the fields: only what the condition and scope use; a number field left empty is not sent,
 * one that is not a number is sent as typed so the API names it.
 */
export function draftOf(f: RuleFields): AlertRuleDraft {
  const n = (v: string) => (v.trim() === '' ? undefined : Number.isNaN(Number(v)) ? (v as never) : Number(v));
  const ranged = f.condition === 'outside';
  const valued = f.condition !== 'no_data';
  return {
    name: f.name.trim(),
    scope: f.scope,
    ...(f.scope === 'device' && { scopeDeviceId: f.scopeDeviceId.trim() }),
    ...(f.scope === 'metadata' && { scopeKey: f.scopeKey.trim(), scopeValue: f.scopeValue }),
    metric: f.metric.trim(),
    condition: f.condition,
    ...(valued && { threshold: n(f.threshold), clearThreshold: n(f.clearThreshold) }),
    ...(ranged && { thresholdHigh: n(f.thresholdHigh), clearThresholdHigh: n(f.clearThresholdHigh) }),
    ...(!valued && { noDataSeconds: n(f.noDataSeconds) }),
    durationSeconds: n(f.durationSeconds) ?? 0,
    severity: f.severity,
    enabled: f.enabled,
    actions: f.actions.map((a): AlertAction => {
      if (a.type === 'webhook') return { type: 'webhook', url: a.url.trim() };
      if (a.type === 'script') return { type: 'script', path: a.path.trim() };
      return {
        type: 'mqtt',
        ...(a.topic.trim() && { topic: a.topic.trim() }),
        ...(a.payload.trim() && { payload: a.payload }),
      };
    }),
  };
}

/**
 * A 400's field-level messages keyed by field as the editor names them (`actions.0.url`; the API says
 * `actions[0].url` for its own checks and `actions.0.url` for validation). Empty for any other failure.
 */
export function fieldErrors(e: unknown): Record<string, string> {
  const err: ApiError | null = isApiError(e) ? e : null;
  if (!err || err.statusCode !== 400 || !Array.isArray(err.details)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details as { field?: unknown; errors?: unknown }[]) {
    if (typeof d.field !== 'string') continue;
    const key = d.field.replace(/\[(\d+)\]/g, '.$1');
    out[key] = Array.isArray(d.errors) ? d.errors.join('; ') : 'invalid';
  }
  return out;
}
