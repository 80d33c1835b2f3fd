import { Injectable, inject } from '@angular/core';

import { AlertResponse, AlertsPageResponse } from '@sensorhub/contracts';

import { ApiHttp, ms, query } from './api-http';
import { AlertItem, AlertPage, AlertsQuery } from './api.types';

/** Alerts: the filtered page with firing counts, and acknowledging one (/alerts). Rules: alert-rules-client.ts. */
@Injectable({ providedIn: 'root' })
export class AlertsClient {
  private readonly http = inject(ApiHttp);

  async alerts(q: AlertsQuery): Promise<AlertPage> {
    const page = await this.http.get<AlertsPageResponse>(
      '/alerts',
      query({ limit: q.limit, offset: q.offset, state: q.state, severity: q.severity, deviceId: q.deviceId }),
    );
    return { items: page.items.map(toAlert), total: page.total, firing: page.firing };
  }

  async acknowledgeAlert(id: string, note: string): Promise<AlertItem> {
    const path = `/alerts/${encodeURIComponent(id)}/acknowledge`;
    return toAlert(await this.http.post<AlertResponse>(path, note ? { note } : {}));
  }
}

function toAlert(a: AlertResponse): AlertItem {
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: a.ruleName,
    deviceId: a.deviceId,
    deviceName: a.deviceName ?? null,
    metric: a.metric,
    severity: a.severity,
    state: a.state,
    value: a.value,
    threshold: a.threshold,
    thresholdHigh: a.thresholdHigh,
    startedAt: Date.parse(a.startedAt),
    firedAt: ms(a.firedAt),
    resolvedAt: ms(a.resolvedAt),
    acknowledgedByEmail: a.acknowledgedByEmail,
    acknowledgedAt: ms(a.acknowledgedAt),
    ackNote: a.ackNote,
  };
}
