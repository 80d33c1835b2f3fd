import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { ApiClient, toApiError, toSeries } from './api-client';

describe(ApiClient.name, () => {
  let api: ApiClient;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(ApiClient);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('shows a page of devices with their latest values sorted by metric, and the offline rule in use', async () => {
    const p = api.devicesPage({ limit: 50, offset: 0, q: 'green' });
    const req = http.expectOne((r) => r.url === '/api/v1/devices');
    expect(req.request.params.get('q')).toBe('green');
    req.flush({
      items: [
        {
          id: 'gh-1',
          name: 'Greenhouse',
          location: null,
          metadata: {},
          firstSeen: '2026-01-01T00:00:00.000Z',
          lastSeen: '2026-01-15T10:30:00.000Z',
          online: true,
          status: 'ok',
          battery: 87,
          latest: {
            temperature: { value: 23.5, ts: '2026-01-15T10:29:00.000Z' },
            humidity: { value: 41, ts: '2026-01-15T10:30:00.000Z' },
          },
        },
      ],
      total: 1,
      limit: 50,
      offset: 0,
      fleetTotal: 3,
      fleetOnline: 2,
      offlineAfterSeconds: 120,
    });
    const page = await p;
    expect(page).toMatchObject({ total: 1, fleetTotal: 3, fleetOnline: 2, offlineAfterMs: 120_000 });
    const [gh] = page.items;
    expect(gh).toMatchObject({ id: 'gh-1', name: 'Greenhouse', online: true, battery: 87, location: null });
    expect(gh.lastSeen).toBe(Date.parse('2026-01-15T10:30:00.000Z'));
    expect(gh.metrics).toEqual([
      { metric: 'humidity', value: 41, ts: Date.parse('2026-01-15T10:30:00.000Z') },
      { metric: 'temperature', value: 23.5, ts: Date.parse('2026-01-15T10:29:00.000Z') },
    ]);
  });

  it('asks for readings in UTC ISO times with the chart width and time zone, and reads buckets back', async () => {
    const p = api.readings('gh 1', {
      metric: 'temperature',
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 2),
      maxPoints: 700,
      tz: 'Europe/Berlin',
    });
    const req = http.expectOne((r) => r.url === '/api/v1/devices/gh%201/readings');
    expect(req.request.params.get('from')).toBe('2026-01-01T00:00:00.000Z');
    expect(req.request.params.get('to')).toBe('2026-01-02T00:00:00.000Z');
    expect(req.request.params.get('maxPoints')).toBe('700');
    expect(req.request.params.get('tz')).toBe('Europe/Berlin');
    req.flush({
      deviceId: 'gh 1',
      metric: 'temperature',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      tz: 'Europe/Berlin',
      bucketSeconds: 120,
      points: [
        { ts: '2026-01-01T00:00:00.000Z', min: 0, avg: 1, max: 2, count: 2 },
        { ts: '2026-01-01T00:02:00.000Z', min: 1, avg: 2, max: 3, count: 4 },
      ],
    });
    const s = await p;
    expect(s).toMatchObject({ metric: 'temperature', downsampled: true, bucketMs: 120_000 });
    expect(s.points).toEqual([
      { t: Date.UTC(2026, 0, 1), min: 0, avg: 1, max: 2, count: 2 },
      { t: Date.UTC(2026, 0, 1, 0, 2), min: 1, avg: 2, max: 3, count: 4 },
    ]);
  });

  it('reads raw readings (no bucket width) as points whose band is the value itself', () => {
    const s = toSeries({
      deviceId: 'gh-1',
      metric: 'co2',
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-01T00:01:00.000Z',
      tz: null,
      bucketSeconds: null,
      points: [
        { ts: '1970-01-01T00:00:01.000Z', min: 5, avg: 5, max: 5, count: 1 },
        { ts: '1970-01-01T00:00:03.000Z', min: 7, avg: 7, max: 7, count: 1 },
      ],
    });
    expect(s).toEqual({
      metric: 'co2',
      downsampled: false,
      bucketMs: null,
      points: [
        { t: 1000, avg: 5, min: 5, max: 5, count: 1 },
        { t: 3000, avg: 7, min: 7, max: 7, count: 1 },
      ],
    });
  });

  it('exports every metric in one request, or joins the CSVs of the chosen metrics under one header', async () => {
    const all = api.exportCsv('gh-1', null, 0, 60_000);
    const one = http.expectOne((r) => r.url === '/api/v1/devices/gh-1/readings/export');
    expect(one.request.params.has('metric')).toBe(false);
    expect(one.request.params.get('from')).toBe('1970-01-01T00:00:00.000Z');
    one.flush('device_id,metric,ts,value\ngh-1,a,t,1\n');
    expect(await (await all).text()).toBe('device_id,metric,ts,value\ngh-1,a,t,1\n');

    const some = api.exportCsv('gh-1', ['a', 'b'], 0, 60_000);
    const reqs = http.match((r) => r.url === '/api/v1/devices/gh-1/readings/export');
    expect(reqs.map((r) => r.request.params.get('metric'))).toEqual(['a', 'b']);
    reqs[0].flush('device_id,metric,ts,value\ngh-1,a,t,1\n');
    reqs[1].flush('device_id,metric,ts,value\ngh-1,b,t,2\n');
    const blob = await some;
    expect(blob.type).toBe('text/csv');
    expect(await blob.text()).toBe('device_id,metric,ts,value\ngh-1,a,t,1\ngh-1,b,t,2\n');
  });

  it("turns failures into the API's error shape: its own body, a bare status, or an unreachable server", async () => {
    const a = api.device('x');
    http
      .expectOne('/api/v1/devices/x')
      .flush(
        { statusCode: 404, code: 'DEVICE_NOT_FOUND', message: 'no such device' },
        { status: 404, statusText: 'Not Found' },
      );
    await expect(a).rejects.toEqual({
      statusCode: 404,
      code: 'DEVICE_NOT_FOUND',
      message: 'no such device',
      details: undefined,
    });

    const b = api.users();
    http.expectOne('/api/v1/users').flush('oops', { status: 502, statusText: 'Bad Gateway' });
    await expect(b).rejects.toEqual({ statusCode: 502, code: 'HTTP_502', message: 'Bad Gateway' });

    const c = api.apiKeys();
    http.expectOne('/api/v1/api-keys').error(new ProgressEvent('error'), { status: 0 });
    await expect(c).rejects.toMatchObject({ statusCode: 0, code: 'NETWORK' });

    expect(toApiError(new Error('boom'))).toEqual({ statusCode: 0, code: 'UNKNOWN', message: 'boom' });
  });

  it('treats a refused renewal as no session, an unreachable server as a failure, a failed logout as logged out', async () => {
    const r = api.refresh();
    http
      .expectOne('/api/v1/auth/refresh')
      .flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    await expect(r).resolves.toBeNull();

    const down = api.refresh();
    http.expectOne('/api/v1/auth/refresh').error(new ProgressEvent('error'), { status: 0 });
    await expect(down).rejects.toMatchObject({ code: 'NETWORK' });

    const l = api.logout();
    http.expectOne('/api/v1/auth/logout').error(new ProgressEvent('error'), { status: 0 });
    await expect(l).resolves.toBeUndefined();
  });

  it('shows a new API key once, and sends users, roles, passwords and revocations to their routes', async () => {
    const k = api.createApiKey({ name: 'billing', scopes: ['read'] });
    const req = http.expectOne('/api/v1/api-keys');
    expect(req.request.body).toEqual({ name: 'billing', scopes: ['read'] });
    req.flush({
      id: 'k1',
      name: 'billing',
      prefix: 'sh_ab',
      scopes: ['read'],
      devices: null,
      createdAt: '2026-01-15T10:30:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
      key: 'sh_ab.secret',
    });
    expect(await k).toMatchObject({ id: 'k1', prefix: 'sh_ab', key: 'sh_ab.secret', revokedAt: null });

    const u = api.updateUser('u/1', { role: 'admin' });
    const patch = http.expectOne('/api/v1/users/u%2F1');
    expect(patch.request.method).toBe('PATCH');
    patch.flush({ id: 'u/1', email: 'a@example.com', role: 'admin', disabled: false });
    expect(await u).toMatchObject({ role: 'admin', disabled: false });

    const pw = api.resetPassword('u1', 'a new long password');
    const post = http.expectOne('/api/v1/users/u1/password');
    expect(post.request.body).toEqual({ password: 'a new long password' });
    post.flush(null);
    await pw;

    const del = api.revokeApiKey('k1');
    const revoke = http.expectOne('/api/v1/api-keys/k1');
    expect(revoke.request.method).toBe('DELETE');
    revoke.flush(null);
    await del;
  });

  it('sends a device command and reports what was published', async () => {
    const p = api.sendCommand('gh-1', { command: 'interval', seconds: 30 });
    const req = http.expectOne('/api/v1/devices/gh-1/commands');
    expect(req.request.body).toEqual({ command: 'interval', seconds: 30 });
    req.flush({ topic: 'devices/gh-1/cmd', payload: '{"command":"interval","seconds":30}' });
    expect(await p).toEqual({ topic: 'devices/gh-1/cmd', payload: '{"command":"interval","seconds":30}' });
  });

  it('opens the live stream with a ticket, and hands on its readings and device events as the API sends them', async () => {
    const u = api.liveUrl();
    http.expectOne('/api/v1/live/ticket').flush({ ticket: 'a b', expiresIn: 30 });
    expect(await u).toBe('/api/v1/live?ticket=a%20b');

    const reading = { deviceId: 'gh-1', metric: 'temperature', ts: '2026-01-15T10:30:00.000Z', value: 21 };
    expect(api.parseLive('readings', JSON.stringify([reading]))).toEqual({
      readings: [reading],
      devices: [],
    });
    const device = { id: 'gh-1', lastSeen: '2026-01-15T10:30:00.000Z', online: false, battery: 9 };
    expect(api.parseLive('devices', JSON.stringify([device])).devices).toEqual([device]);
    expect(api.parseLive('heartbeat', '[]')).toEqual({ readings: [], devices: [] });
    expect(api.parseLive('readings', '{"not":"a list"}')).toEqual({ readings: [], devices: [] });
  });
});
