import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

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
  LiveDevice,
  LiveReading,
  LoginResult,
  MetricInfo,
  MetricValue,
  ReasonCount,
  Replayed,
  ReadingsQuery,
  Role,
  Series,
  SeriesPoint,
  Sparkline,
  User,
} from './api.types';

export const API_BASE = '/api/v1';

/** The only place that knows the API's paths and field names; everything returns promises of the app's types. */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  // --- auth -------------------------------------------------------------------------------------------------------
  async login(email: string, password: string): Promise<LoginResult> {
    const raw = await this.post<Raw>('/auth/login', { email, password });
    return toLoginResult(raw);
  }

  /** Exchanges the refresh cookie for a new access token; null if the session cannot be renewed. */
  async refresh(): Promise<LoginResult | null> {
    try {
      return toLoginResult(await this.post<Raw>('/auth/refresh', {}));
    } catch {
      return null;
    }
  }

  async logout(): Promise<void> {
    await this.post('/auth/logout', {}).catch(() => undefined);
  }

  async me(): Promise<User> {
    return toUser(await this.get<Raw>('/auth/me'));
  }

  // --- devices ----------------------------------------------------------------------------------------------------
  /** The first page of devices (GET /devices is paged; see devicesPage). */
  async devices(): Promise<DeviceSummary[]> {
    const raw = await this.get<Raw[] | { items: Raw[] } | { data: Raw[] }>('/devices');
    return listOf(raw).map(toDevice);
  }

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
    const raw = await this.get<Raw>('/devices', params);
    const items = listOf(raw).map(toDevice);
    const n = (k: string, fallback: number) => num(raw[k]) ?? fallback;
    return {
      items,
      total: n('total', items.length),
      offset: n('offset', q.offset),
      limit: n('limit', q.limit),
      fleetTotal: n('fleetTotal', items.length),
      fleetOnline: n('fleetOnline', 0),
    };
  }

  async device(id: string): Promise<DeviceSummary> {
    return toDevice(await this.get<Raw>(`/devices/${encodeURIComponent(id)}`));
  }

  async updateDevice(
    id: string,
    patch: { name?: string | null; location?: string | null; metadata?: Record<string, unknown> },
  ): Promise<DeviceSummary> {
    return toDevice(await this.patch<Raw>(`/devices/${encodeURIComponent(id)}`, patch));
  }

  /** Publishes a command to the device (the broker accepted it; the device applies it when connected). */
  async sendCommand(id: string, body: { command: string; seconds?: number }): Promise<CommandSent> {
    const raw = await this.post<Raw>(`/devices/${encodeURIComponent(id)}/commands`, body);
    return { topic: String(raw['topic'] ?? ''), payload: String(raw['payload'] ?? '') };
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
    const raw = await this.get<Raw>(`/devices/${encodeURIComponent(deviceId)}/readings`, params);
    return toSeries(raw, q.metric);
  }

  /** Every metric of up to 200 devices with readings in the last windowSeconds, in at most `points` bucket means. */
  async sparklines(ids: string[], windowSeconds: number, points: number): Promise<Sparkline[]> {
    const params = new HttpParams({
      fromObject: { devices: ids.join(','), window: String(windowSeconds), points: String(points) },
    });
    const raw = await this.get<Raw>('/sparklines', params);
    return ((raw['series'] ?? []) as Raw[]).map((s) => ({
      deviceId: String(s['deviceId']),
      metric: String(s['metric']),
      points: ((s['points'] ?? []) as Raw[]).flatMap((p) => {
        const t = time(p['ts']);
        const avg = num(p['avg']);
        return t === null || avg === null ? [] : [{ t, avg }];
      }),
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
    return listOf(await this.get<Raw[]>('/users')).map(toUser);
  }

  async createUser(body: { email: string; password: string; role: Role }): Promise<User> {
    return toUser(await this.post<Raw>('/users', body));
  }

  async updateUser(id: string, patch: { role?: Role; disabled?: boolean }): Promise<User> {
    return toUser(await this.patch<Raw>(`/users/${encodeURIComponent(id)}`, patch));
  }

  async resetPassword(id: string, password: string): Promise<void> {
    await this.post(`/users/${encodeURIComponent(id)}/password`, { password });
  }

  async apiKeys(): Promise<ApiKey[]> {
    return listOf(await this.get<Raw[]>('/api-keys')).map(toApiKey);
  }

  async createApiKey(body: { name: string; scopes: string[]; devices?: string[] }): Promise<CreatedApiKey> {
    const raw = await this.post<Raw>('/api-keys', body);
    return { ...toApiKey(raw), key: str(raw['key'] ?? raw['apiKey'] ?? raw['secret']) ?? '' };
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.delete(`/api-keys/${encodeURIComponent(id)}`);
  }

  // --- dead letters ---------------------------------------------------------------------------------------------
  async deadLetters(f: DeadLetterFilter, limit: number, offset: number): Promise<DeadLetterPage> {
    const raw = await this.get<Raw>(
      '/dead-letters',
      deadLetterParams(f, { limit: String(limit), offset: String(offset) }),
    );
    return {
      items: listOf(raw).map(toDeadLetter),
      total: num(raw['total']) ?? 0,
      limit: num(raw['limit']) ?? limit,
      offset: num(raw['offset']) ?? offset,
    };
  }

  async deadLetterSummary(f: DeadLetterFilter): Promise<ReasonCount[]> {
    const raw = await this.get<Raw[]>('/dead-letters/summary', deadLetterParams(f));
    return listOf(raw).map((r) => ({ reason: String(r['reason']), count: num(r['count']) ?? 0 }));
  }

  async replayDeadLetter(id: string): Promise<Replayed> {
    const raw = await this.post<Raw>(`/dead-letters/${encodeURIComponent(id)}/replay`, {});
    return {
      topic: String(raw['topic'] ?? ''),
      payloadSize: num(raw['payloadSize']) ?? 0,
      replayCount: num(raw['replayCount']) ?? 0,
    };
  }

  // --- metric catalog ---------------------------------------------------------------------------------------------
  async metricCatalog(): Promise<MetricInfo[]> {
    const raw = await this.get<Raw>('/metrics/catalog');
    return ((raw?.['metrics'] ?? []) as Raw[]).flatMap((m): MetricInfo[] => {
      const name = str(m['name']);
      if (!name) return [];
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      const n = (v: unknown) => num(v) ?? undefined;
      return [
        {
          name,
          displayName: text(m['displayName']),
          unit: text(m['unit']),
          decimals: n(m['decimals']),
          min: n(m['min']),
          max: n(m['max']),
        },
      ];
    });
  }

  // --- live -------------------------------------------------------------------------------------------------------
  /** URL for an EventSource: EventSource cannot send headers, so the API hands out a short-lived ticket. */
  async liveUrl(): Promise<string> {
    const raw = await this.post<Raw>('/live/ticket', {});
    return `${API_BASE}/live?ticket=${encodeURIComponent(str(raw['ticket']) ?? '')}`;
  }

  /** Decodes one SSE event of the live stream (`readings` or `devices`; others are ignored). */
  parseLive(type: string, data: string): { readings: LiveReading[]; devices: LiveDevice[] } {
    const rows = JSON.parse(data) as Raw[];
    if (!Array.isArray(rows)) return { readings: [], devices: [] };
    if (type === 'readings') {
      const readings = rows.flatMap((o): LiveReading[] => {
        const t = time(o['ts']);
        const value = num(o['value']);
        return t === null || value === null
          ? []
          : [{ deviceId: String(o['deviceId']), metric: String(o['metric']), t, value }];
      });
      return { readings, devices: [] };
    }
    if (type === 'devices') {
      const devices = rows.map((d) => ({
        id: String(d['id']),
        lastSeen: time(d['lastSeen']) ?? Date.now(),
        online: typeof d['online'] === 'boolean' ? (d['online'] as boolean) : undefined,
        status: (d['status'] as string | undefined) ?? undefined,
        battery: num(d['battery']) ?? undefined,
      }));
      return { readings: [], devices };
    }
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
    const raw = await this.get<Raw>('/alerts', params);
    const f = (raw['firing'] ?? {}) as Raw;
    return {
      items: listOf(raw).map(toAlert),
      total: num(raw['total']) ?? 0,
      firing: {
        critical: num(f['critical']) ?? 0,
        warning: num(f['warning']) ?? 0,
        info: num(f['info']) ?? 0,
      },
    };
  }

  async acknowledgeAlert(id: string, note: string): Promise<AlertItem> {
    return toAlert(
      await this.post<Raw>(`/alerts/${encodeURIComponent(id)}/acknowledge`, note ? { note } : {}),
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

type Raw = Record<string, unknown>;

function toAlert(o: Raw): AlertItem {
  return {
    id: String(o['id']),
    ruleId: String(o['ruleId']),
    ruleName: String(o['ruleName'] ?? ''),
    deviceId: String(o['deviceId']),
    metric: String(o['metric']),
    severity: (o['severity'] as AlertItem['severity']) ?? 'info',
    state: (o['state'] as AlertItem['state']) ?? 'firing',
    value: num(o['value']),
    threshold: num(o['threshold']),
    thresholdHigh: num(o['thresholdHigh']),
    startedAt: time(o['startedAt']) ?? 0,
    firedAt: time(o['firedAt']),
    resolvedAt: time(o['resolvedAt']),
    acknowledgedByEmail: (o['acknowledgedByEmail'] as string | null) ?? null,
    acknowledgedAt: time(o['acknowledgedAt']),
    ackNote: (o['ackNote'] as string | null) ?? null,
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

function listOf(raw: unknown): Raw[] {
  if (Array.isArray(raw)) return raw as Raw[];
  const o = raw as Raw;
  return (o['items'] ?? o['data'] ?? []) as Raw[];
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** ISO string or epoch ms → epoch ms. */
function time(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const t = Date.parse(String(v));
  return Number.isNaN(t) ? null : t;
}

function toUser(r: Raw): User {
  return {
    id: String(r['id']),
    email: String(r['email']),
    role: r['role'] as Role,
    disabled: Boolean(r['disabled']),
    createdAt: str(r['createdAt']) ?? undefined,
  };
}

function toLoginResult(r: Raw): LoginResult {
  return {
    accessToken: String(r['accessToken'] ?? r['access_token']),
    expiresIn: num(r['expiresIn'] ?? r['expires_in']) ?? 900,
    user: toUser((r['user'] ?? {}) as Raw),
  };
}

function toMetrics(raw: unknown, fallbackTs: number | null): MetricValue[] {
  if (!raw) return [];
  if (Array.isArray(raw)) {
    return (raw as Raw[])
      .map((m) => ({
        metric: String(m['metric']),
        value: num(m['value']) ?? NaN,
        ts: time(m['ts']) ?? fallbackTs ?? 0,
      }))
      .filter((m) => Number.isFinite(m.value));
  }
  // { temperature: 23.5 } or { temperature: { value, ts } }
  return Object.entries(raw as Raw)
    .map(([metric, v]) =>
      v && typeof v === 'object'
        ? { metric, value: num((v as Raw)['value']) ?? NaN, ts: time((v as Raw)['ts']) ?? fallbackTs ?? 0 }
        : { metric, value: num(v) ?? NaN, ts: fallbackTs ?? 0 },
    )
    .filter((m) => Number.isFinite(m.value));
}

function toDevice(r: Raw): DeviceSummary {
  const lastSeen = time(r['lastSeen'] ?? r['last_seen']);
  const metrics = toMetrics(r['latest'] ?? r['metrics'] ?? r['latestValues'], lastSeen);
  metrics.sort((a, b) => a.metric.localeCompare(b.metric));
  return {
    id: String(r['id']),
    name: str(r['name']),
    location: str(r['location']),
    lastSeen,
    online: typeof r['online'] === 'boolean' ? (r['online'] as boolean) : null,
    status: str(r['status']),
    battery: num(r['battery']),
    metrics,
    metadata: (r['metadata'] as Record<string, unknown>) ?? undefined,
  };
}

/** Accepts buckets ({ts|bucket|t, min, avg, max, count}) or raw points ({ts, value}). */
export function toSeries(r: Raw, metric: string): Series {
  const rows = (r['buckets'] ?? r['points'] ?? r['data'] ?? r['readings'] ?? []) as Raw[];
  const points: SeriesPoint[] = [];
  let downsampled = Boolean(r['downsampled']);
  for (const p of rows) {
    const t = time(p['ts'] ?? p['t'] ?? p['bucket'] ?? p['time']);
    if (t === null) continue;
    if ('value' in p) {
      const v = num(p['value']);
      if (v !== null) points.push({ t, avg: v, min: v, max: v, count: 1 });
    } else {
      const avg = num(p['avg']);
      if (avg === null) continue;
      const count = num(p['count']) ?? 1;
      if (count > 1) downsampled = true;
      points.push({ t, avg, min: num(p['min']) ?? avg, max: num(p['max']) ?? avg, count });
    }
  }
  points.sort((a, b) => a.t - b.t);
  const bucketSeconds = num(r['bucketSeconds']);
  const bucketMs = bucketSeconds !== null ? bucketSeconds * 1000 : null;
  return {
    metric: str(r['metric']) ?? metric,
    downsampled: downsampled || bucketMs !== null,
    bucketMs,
    points,
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

function toDeadLetter(r: Raw): DeadLetter {
  return {
    id: String(r['id']),
    topic: String(r['topic'] ?? ''),
    deviceId: str(r['deviceId']),
    reason: String(r['reason'] ?? ''),
    detail: String(r['detail'] ?? ''),
    receivedAt: time(r['receivedAt']) ?? 0,
    payload: String(r['payload'] ?? ''),
    payloadEncoding: r['payloadEncoding'] === 'base64' ? 'base64' : 'utf8',
    payloadSize: num(r['payloadSize']) ?? 0,
    truncated: Boolean(r['truncated']),
    replayedAt: time(r['replayedAt']),
    replayCount: num(r['replayCount']) ?? 0,
  };
}

function toApiKey(r: Raw): ApiKey {
  return {
    id: String(r['id']),
    name: String(r['name'] ?? ''),
    prefix: String(r['prefix'] ?? ''),
    scopes: (r['scopes'] as string[]) ?? [],
    devices: Array.isArray(r['devices']) ? (r['devices'] as string[]) : null,
    createdAt: str(r['createdAt']),
    lastUsedAt: str(r['lastUsedAt']),
    revokedAt: str(r['revokedAt']),
  };
}
