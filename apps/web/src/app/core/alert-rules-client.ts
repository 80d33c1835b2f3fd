import { Injectable, inject } from '@angular/core';

import { ApiHttp } from './api-http';
import { AlertRule, AlertRuleDraft, RulePreview } from './api.types';

/** Alert rules CRUD and preview (/alert-rules). */
@Injectable({ providedIn: 'root' })
export class AlertRulesClient {
  private readonly http = inject(ApiHttp);

  async alertRules(): Promise<AlertRule[]> {
    return (await this.http.get<Raw[]>('/alert-rules')).map(toRule);
  }

  async createAlertRule(rule: AlertRuleDraft): Promise<AlertRule> {
    return toRule(await this.http.post<Raw>('/alert-rules', rule));
  }

  async updateAlertRule(id: string, patch: Partial<AlertRuleDraft>): Promise<AlertRule> {
    return toRule(await this.http.patch<Raw>(`/alert-rules/${encodeURIComponent(id)}`, patch));
  }

  async deleteAlertRule(id: string): Promise<void> {
    await this.http.delete(`/alert-rules/${encodeURIComponent(id)}`);
  }

  /** Replays a draft rule over the stored readings of [from, to]. */
  async previewAlertRule(rule: AlertRuleDraft, from: number, to: number): Promise<RulePreview> {
    const raw = await this.http.post<Raw>('/alert-rules/preview', {
      ...rule,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    });
    return {
      from: time(raw['from']) ?? from,
      to: time(raw['to']) ?? to,
      readings: num(raw['readings']) ?? 0,
      truncated: raw['truncated'] === true,
      devices: ((raw['devices'] ?? []) as Raw[]).map((d) => ({
        deviceId: String(d['deviceId']),
        transitions: ((d['transitions'] ?? []) as Raw[]).map((t) => ({
          kind: t['kind'] === 'resolved' ? 'resolved' : 'firing',
          at: time(t['at']) ?? 0,
          value: num(t['value']),
        })),
      })),
    };
  }
}

function toRule(o: Raw): AlertRule {
  const opt = (k: string) => (o[k] === null || o[k] === undefined ? {} : { [k]: o[k] });
  return {
    id: String(o['id']),
    name: String(o['name'] ?? ''),
    scope: o['scope'] as AlertRule['scope'],
    ...opt('scopeDeviceId'),
    ...opt('scopeKey'),
    ...opt('scopeValue'),
    metric: String(o['metric']),
    condition: o['condition'] as AlertRule['condition'],
    ...opt('threshold'),
    ...opt('thresholdHigh'),
    ...opt('clearThreshold'),
    ...opt('clearThresholdHigh'),
    ...opt('noDataSeconds'),
    durationSeconds: num(o['durationSeconds']) ?? 0,
    severity: (o['severity'] as AlertRule['severity']) ?? 'warning',
    enabled: o['enabled'] !== false,
    actions: (o['actions'] ?? []) as AlertRule['actions'],
    updatedAt: time(o['updatedAt']) ?? 0,
  };
}

type Raw = Record<string, unknown>;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** ISO string → epoch ms */
function time(v: unknown): number | null {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
}
