import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import {
  AlertResponse,
  AlertsPageResponse,
  API_PREFIX,
  ApiKeyResponse,
  CreatedApiKeyResponse,
  DeadLetterResponse,
  DeadLettersPageResponse,
  DeviceResponse,
  DevicesPageResponse,
  LIVE_EVENTS,
  LiveDevice,
  LiveReading,
  MetricCatalogResponse,
  ReadingsResponse,
  ReasonCountResponse,
  ReplayedResponse,
  Role,
  SparklinesResponse,
  TicketResponse,
  TokenResponse,
  UserResponse,
} from '@sensorhub/contracts';

import {
  AlertItem,
  AlertPage,
  AlertsQuery,
  ApiError,
  ApiKey,
  CommandSent,
  CreatedApiKey,
  DeadLetter,
  DeadLetterFilter,
  DeadLetterPage,
  DevicePage,
  DevicePageQuery,
  DeviceSummary,
  LoginResult,
  MetricInfo,
  ReasonCount,
  Replayed,
  ReadingsQuery,
  Series,
  Sparkline,
  User,
} from './api.types';

export const API_BASE = API_PREFIX;

/**
 * The only place that knows the API's paths; responses are typed by @sensorhub/contracts and mapped onto the app's
 * types (times as epoch ms). Everything returns promises.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  // --- auth -------------------------------------------------------------------------------------------------------
  async login(email: string, password: string): Promise<LoginResult> {
    return toLoginResult(await this.post<TokenResponse>('/auth/login', { email, password }));
  }

  /**
   * Exchanges the refresh cookie for a new access token; null when the session is over (401). Rejects with the
   * ApiError when the server cannot answer now (unreachable, 429, 5xx): the session may still be good.
   */
  async refresh(): Promise<LoginResult | null> {
    try {
      return toLoginResult(await this.post<TokenResponse>('/auth/refresh', {}));
    } catch (e) {
      if ((e as ApiError).statusCode === 401) return null;
      throw e;
    }
  }

  async logout(): Promise<void> {
    await this.post('/auth/logout', {}).catch(() => undefined);
  }

  async me(): Promise<User> {
    return toUser(await this.get<UserResponse>('/auth/me'));
  }

  // --- devices ----------------------------------------------------------------------------------------------------
  /** A page of devices, searched and filtered by the server, with the totals. */
  async devicesPage(q: DevicePageQuery): Promise<DevicePage> {
    const params = new HttpParams({
      fromObject: {
        limit: String(q.limit),
        offset: String(q.offset),
        ...(q.q ? { q: q.q } : {}),
        ...(q.status ? { status: q.status } : {}),
      },
    });
    const page = await this.get<DevicesPageResponse>('/devices', params);
    return {
      items: page.items.map(toDevice),
      total: page.total,
      offset: page.offset,
      limit: page.limit,
      fleetTotal: page.fleetTotal,
      fleetOnline: page.fleetOnline,
      offlineAfterMs: page.offlineAfterSeconds * 1000,
    };
  }

  async device(id: string): Promise<DeviceSummary> {
    return toDevice(await this.get<DeviceResponse>(`/devices/${encodeURIComponent(id)}`));
  }

  async updateDevice(
    id: string,
    patch: { name?: string | null; location?: string | null; metadata?: Record<string, unknown> },
  ): Promise<DeviceSummary> {
    return toDevice(await this.patch<DeviceResponse>(`/devices/${encodeURIComponent(id)}`, patch));
  }

  /** Publishes a command to the device (the broker accepted it; the device applies it when connected). */
  sendCommand(id: string, body: { command: string; seconds?: number }): Promise<CommandSent> {
    return this.post<CommandSent>(`/devices/${encodeURIComponent(id)}/commands`, body);
  }

  async readings(deviceId: string, q: ReadingsQuery): Promise<Series> {
    const params = new HttpParams({
      fromObject: {
        metric: q.metric,
        from: new Date(q.from).toISOString(),
        to: new Date(q.to).toISOString(),
        maxPoints: String(q.maxPoints),
        ...(q.tz ? { tz: q.tz } : {}),
      },
    });
    return toSeries(
      await this.get<ReadingsResponse>(`/devices/${encodeURIComponent(deviceId)}/readings`, params),
    );
  }

  /** Every metric of up to 200 devices with readings in the last windowSeconds, in at most `points` bucket means. */
  async sparklines(ids: string[], windowSeconds: number, points: number): Promise<Sparkline[]> {
    const params = new HttpParams({
      fromObject: { devices: ids.join(','), window: String(windowSeconds), points: String(points) },
    });
    const res = await this.get<SparklinesResponse>('/sparklines', params);
    return res.series.map((s) => ({
      deviceId: s.deviceId,
      metric: s.metric,
      points: s.points.map((p) => ({ t: Date.parse(p.ts), avg: p.avg })),
    }));
  }

  /**
   * CSV of the raw readings in [from, to] (device_id,metric,ts,value), fetched with the session's token.
   * The export route takes one metric or all of them: a subset is fetched per metric and joined.
   */
  async exportCsv(deviceId: string, metrics: string[] | null, from: number, to: number): Promise<Blob> {
    const url = `${API_BASE}/devices/${encodeURIComponent(deviceId)}/readings/export`;
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const fetchOne = (metric?: string) =>
      firstValueFrom(
        this.http.get(url, {
          params: new HttpParams({ fromObject: metric ? { ...range, metric } : range }),
          responseType: 'text',
        }),
      ).catch(rethrow);
    if (!metrics) return new Blob([await fetchOne()], { type: 'text/csv' });
    const parts = await Promise.all(metrics.map((m) => fetchOne(m)));
    const [head, ...rest] = parts;
    const body = rest.map((p) => p.slice(p.indexOf('\n') + 1)).join('');
    return new Blob([(head ?? '') + body], { type: 'text/csv' });
  }

  // --- admin ------------------------------------------------------------------------------------------------------
  async users(): Promise<User[]> {
    return (await this.get<UserResponse[]>('/users')).map(toUser);
  }

  async createUser(body: { email: string; password: string; role: Role }): Promise<User> {
    return toUser(await this.post<UserResponse>('/users', body));
  }

  async updateUser(id: string, patch: { role?: Role; disabled?: boolean }): Promise<User> {
    return toUser(await this.patch<UserResponse>(`/users/${encodeURIComponent(id)}`, patch));
  }

  async resetPassword(id: string, password: string): Promise<void> {
    await this.post(`/users/${encodeURIComponent(id)}/password`, { password });
  }

  async apiKeys(): Promise<ApiKey[]> {
    return (await this.get<ApiKeyResponse[]>('/api-keys')).map(toApiKey);
  }

  async createApiKey(body: { name: string; scopes: string[]; devices?: string[] }): Promise<CreatedApiKey> {
    const created = await this.post<CreatedApiKeyResponse>('/api-keys', body);
    return { ...toApiKey(created), key: created.key };
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.delete(`/api-keys/${encodeURIComponent(id)}`);
  }

  // --- dead letters ---------------------------------------------------------------------------------------------
  async deadLetters(f: DeadLetterFilter, limit: number, offset: number): Promise<DeadLetterPage> {
    const page = await this.get<DeadLettersPageResponse>(
      '/dead-letters',
      deadLetterParams(f, { limit: String(limit), offset: String(offset) }),
    );
    return { items: page.items.map(toDeadLetter), total: page.total, limit: page.limit, offset: page.offset };
  }

  async deadLetterSummary(f: DeadLetterFilter): Promise<ReasonCount[]> {
    return this.get<ReasonCountResponse[]>('/dead-letters/summary', deadLetterParams(f));
  }

  async replayDeadLetter(id: string): Promise<Replayed> {
    const r = await this.post<ReplayedResponse>(`/dead-letters/${encodeURIComponent(id)}/replay`, {});
    return { topic: r.topic, payloadSize: r.payloadSize, replayCount: r.replayCount };
  }

  // --- metric catalog ---------------------------------------------------------------------------------------------
  async metricCatalog(): Promise<MetricInfo[]> {
    return (await this.get<MetricCatalogResponse>('/metrics/catalog')).metrics;
  }

  // --- live -------------------------------------------------------------------------------------------------------
  /** URL for an EventSource: EventSource cannot send headers, so the API hands out a short-lived ticket. */
  async liveUrl(): Promise<string> {
    const { ticket } = await this.post<TicketResponse>('/live/ticket', {});
    return `${API_BASE}/live?ticket=${encodeURIComponent(ticket)}`;
  }

  /** Decodes one SSE event of the live stream (`readings` or `devices`; others are ignored). */
  parseLive(type: string, data: string): { readings: LiveReading[]; devices: LiveDevice[] } {
    const rows: unknown = JSON.parse(data);
    if (!Array.isArray(rows)) return { readings: [], devices: [] };
    if (type === LIVE_EVENTS.readings) return { readings: rows as LiveReading[], devices: [] };
    if (type === LIVE_EVENTS.devices) return { readings: [], devices: rows as LiveDevice[] };
    return { readings: [], devices: [] };
  }

  // --- alerts -----------------------------------------------------------------------------------------------------
  async alerts(q: AlertsQuery): Promise<AlertPage> {
    const params = new HttpParams({
      fromObject: {
        limit: String(q.limit),
        offset: String(q.offset),
        ...(q.state ? { state: q.state } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.deviceId ? { deviceId: q.deviceId } : {}),
      },
    });
    const page = await this.get<AlertsPageResponse>('/alerts', params);
    return { items: page.items.map(toAlert), total: page.total, firing: page.firing };
  }

  async acknowledgeAlert(id: string, note: string): Promise<AlertItem> {
    return toAlert(
      await this.post<AlertResponse>(`/alerts/${encodeURIComponent(id)}/acknowledge`, note ? { note } : {}),
    );
  }

  // --- plumbing ---------------------------------------------------------------------------------------------------
  private get<T>(path: string, params?: HttpParams): Promise<T> {
    return firstValueFrom(this.http.get<T>(API_BASE + path, { params })).catch(rethrow);
  }
  private post<T>(path: string, body: unknown): Promise<T> {
    return firstValueFrom(this.http.post<T>(API_BASE + path, body, { withCredentials: true })).catch(rethrow);
  }
  private patch<T>(path: string, body: unknown): Promise<T> {
    return firstValueFrom(this.http.patch<T>(API_BASE + path, body)).catch(rethrow);
  }
  private delete(path: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(API_BASE + path)).catch(rethrow);
  }
}

/** ISO 8601 → epoch ms, keeping null */
const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);

function toAlert(a: AlertResponse): AlertItem {
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: a.ruleName,
    deviceId: a.deviceId,
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

/** Normalises an HTTP failure to the API's error shape (network errors get code NETWORK). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof HttpErrorResponse) {
    const body = err.error as Partial<ApiError> | null;
    if (body && typeof body === 'object' && typeof body.message === 'string') {
      return {
        statusCode: err.status,
        code: body.code ?? `HTTP_${err.status}`,
        message: body.message,
        details: body.details,
      };
    }
    if (err.status === 0) return { statusCode: 0, code: 'NETWORK', message: 'The server cannot be reached.' };
    return {
      statusCode: err.status,
      code: `HTTP_${err.status}`,
      message: err.statusText || 'Request failed',
    };
  }
  if (isApiError(err)) return err;
  return { statusCode: 0, code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
}

/**
 * The message to show for a failure. A `resource()` whose loader rejects with something that is not an Error (our
 * ApiError) wraps it in an Error whose message is Angular's "not an Error instance" text: show the cause's.
 */
export function errorMessage(e: unknown): string {
  const err = e instanceof Error && e.cause !== undefined ? e.cause : e;
  return (err as { message?: string } | null)?.message ?? 'Unknown error';
}

export function isApiError(e: unknown): e is ApiError {
  return !!e && typeof e === 'object' && 'statusCode' in e && 'code' in e && 'message' in e;
}

function rethrow(err: unknown): never {
  throw toApiError(err);
}

function toUser(u: UserResponse): User {
  return { id: u.id, email: u.email, role: u.role, disabled: u.disabled, createdAt: u.createdAt };
}

function toLoginResult(t: TokenResponse): LoginResult {
  return { accessToken: t.accessToken, expiresIn: t.expiresIn, user: toUser(t.user) };
}

function toDevice(d: DeviceResponse): DeviceSummary {
  const metrics = Object.entries(d.latest)
    .map(([metric, v]) => ({ metric, value: v.value, ts: Date.parse(v.ts) }))
    .sort((a, b) => a.metric.localeCompare(b.metric));
  return {
    id: d.id,
    name: d.name,
    location: d.location,
    lastSeen: Date.parse(d.lastSeen),
    online: d.online,
    status: d.status,
    battery: d.battery,
    metrics,
    metadata: d.metadata,
  };
}

/** Readings as a chart series: buckets (or raw readings, count 1) oldest first, times as epoch ms. */
export function toSeries(r: ReadingsResponse): Series {
  return {
    metric: r.metric,
    downsampled: r.bucketSeconds !== null,
    bucketMs: r.bucketSeconds === null ? null : r.bucketSeconds * 1000,
    points: r.points.map((p) => ({
      t: Date.parse(p.ts),
      avg: p.avg,
      min: p.min,
      max: p.max,
      count: p.count,
    })),
  };
}

function deadLetterParams(f: DeadLetterFilter, extra: Record<string, string> = {}): HttpParams {
  return new HttpParams({
    fromObject: {
      ...extra,
      ...(f.reason ? { reason: f.reason } : {}),
      ...(f.device ? { device: f.device } : {}),
      ...(f.from !== undefined ? { from: new Date(f.from).toISOString() } : {}),
      ...(f.to !== undefined ? { to: new Date(f.to).toISOString() } : {}),
    },
  });
}

function toDeadLetter(d: DeadLetterResponse): DeadLetter {
  return { ...d, receivedAt: Date.parse(d.receivedAt), replayedAt: ms(d.replayedAt) };
}

function toApiKey(k: ApiKeyResponse): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    devices: k.devices,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}
