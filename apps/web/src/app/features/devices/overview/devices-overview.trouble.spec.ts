import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { Connectivity } from '../../../core/connectivity';
import { LiveListener, LiveStream } from '../../../core/live-stream';
import { liveData } from '../device-status';
import { sparkRanges } from './device-sparks';
import { DevicesOverviewPage } from './devices-overview.page';

describe(`${DevicesOverviewPage.name} (trouble first, table view, value ages, stale states)`, () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<DevicesOverviewPage>;
  let router: Router;
  let now: number;

  const el = () => fixture.nativeElement as HTMLElement;
  const text = (sel: string) => el().querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
  const all = (sel: string) =>
    [...el().querySelectorAll(sel)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
  const render = async () => {
    await vi.advanceTimersByTimeAsync(1);
    TestBed.tick();
    await vi.advanceTimersByTimeAsync(1);
  };
  const listRequest = () => http.expectOne((r) => r.url === '/api/v1/devices');
  const iso = (t: number) => new Date(t).toISOString();
  const page = (items: object[]) => ({
    items,
    total: items.length,
    offset: 0,
    limit: 120,
    fleetTotal: items.length,
    fleetOnline: 1,
    offlineAfterSeconds: 300,
  });
  const metrics = (n: number, ts: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i + 10}`, { value: i, ts: iso(ts) }]));
  const devices = () => [
    {
      id: 'ws-2',
      name: 'Weather station',
      location: 'Roof',
      metadata: {},
      lastSeen: iso(now - 3 * 86_400_000),
      online: false,
      status: null,
      battery: 12,
      latest: { temperature: { value: 4, ts: iso(now - 3 * 86_400_000) } },
    },
    {
      id: 'gh-1',
      name: 'Greenhouse',
      location: 'Bay 3',
      metadata: {},
      lastSeen: iso(now - 10_000),
      online: true,
      status: null,
      battery: 87,
      latest: metrics(9, now - 10_000),
    },
  ];

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    now = Date.now();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: LiveStream, useValue: { listen: (_: LiveListener) => () => undefined } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigate').mockResolvedValue(true);
    fixture = TestBed.createComponent(DevicesOverviewPage);
  });
  afterEach(() => {
    try {
      for (const r of http.match('/api/v1/metrics/catalog'))
        r.flush({}, { status: 404, statusText: 'Not Found' });
      for (const r of http.match((r) => r.url === '/api/v1/sparklines')) r.flush({ series: [] });
      for (const r of http.match((r) => r.url === '/api/v1/series')) r.flush({ series: [] });
      for (const r of http.match('/api/v1/health')) r.flush({});
      http.verify();
    } finally {
      vi.useRealTimers();
      TestBed.resetTestingModule();
    }
  });

  it('asks the server for problems first, shows each value with its age, a 3-day-old one as stale, and caps a card at 6 metrics', async () => {
    const req = listRequest();
    expect(req.request.params.get('sort')).toBe('trouble');
    req.flush(page(devices()));
    await render();
    expect(all('[data-device] .name')).toEqual(['Weather station', 'Greenhouse']);
    const old = el().querySelector('[data-device=ws-2] li[data-metric=temperature]')!;
    expect(old.classList).toContain('stale');
    expect(old.querySelector('[data-testid=metric-age]')!.textContent!.trim()).toBe('3 d ago');
    const fresh = el().querySelector('[data-device=gh-1] li[data-metric=m10]')!;
    expect(fresh.classList).not.toContain('stale');
    expect(fresh.querySelector('[data-testid=metric-age]')!.textContent!.trim()).toBe('10 s ago');
    expect(el().querySelectorAll('[data-device=gh-1] li[data-metric]').length).toBe(6);
    expect(text('[data-device=gh-1] [data-testid=more-metrics]')).toBe('+3 more');
    expect(text('[data-device=ws-2] [data-testid=battery]')).toBe('12% low');

    // the quiet device's sparklines: the day ending at its last reading, not the last hour (empty for it)
    const hour = http.expectOne((r) => r.url === '/api/v1/sparklines');
    expect(hour.request.params.get('devices')).toBe('gh-1');
    hour.flush({ series: [] });
    const day = http.expectOne((r) => r.url === '/api/v1/series');
    const last = now - 3 * 86_400_000;
    expect(day.request.params.get('series')).toBe('ws-2:*');
    expect(day.request.params.get('from')).toBe(iso(last - 86_400_000));
    const points = [1, 2, 3].map((i) => ({
      ts: iso(last - i * 3_600_000),
      avg: 4 + i,
      min: 4,
      max: 8,
      count: 2,
    }));
    day.flush({
      series: [{ deviceId: 'ws-2', metric: 'temperature', bucketSeconds: 3600, points }],
    });
    await render();
    expect(
      el().querySelector('[data-device=ws-2] li[data-metric=temperature] sh-sparkline path'),
    ).not.toBeNull();
  });

  it('shows the table from ?view=table, sorted by the server; a header click puts the order into the URL', async () => {
    fixture.componentRef.setInput('view', 'table');
    fixture.componentRef.setInput('sort', 'battery');
    await render();
    // the constructor's load is superseded by the one in the URL's order
    const [first, req] = http.match((r) => r.url === '/api/v1/devices');
    expect(first.request.params.get('sort')).toBe('trouble');
    first.flush(page([]));
    expect(req.request.params.get('sort')).toBe('battery');
    req.flush(page(devices()));
    await render();
    expect(el().querySelector('[data-testid=device-grid]')).toBeNull();
    expect(all('[data-testid=device-table] tbody tr .dev a')).toEqual(['Weather station', 'Greenhouse']);
    expect(text('[data-row=ws-2] [data-testid=status]')).toBe('Offline');
    expect(el().querySelector('[data-row=ws-2] li[data-metric=temperature]')!.classList).toContain('stale');
    expect(el().querySelector('th[aria-sort=ascending]')!.textContent).toContain('Battery');

    el().querySelector<HTMLButtonElement>('button[data-sort=battery]')!.click();
    expect(router.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { sort: '-battery' },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
    el().querySelector<HTMLButtonElement>('button[data-sort=trouble]')!.click();
    expect(router.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { sort: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
    fixture.componentRef.setInput('sort', '-battery');
    await vi.advanceTimersByTimeAsync(300);
    expect(listRequest().request.params.get('sort')).toBe('-battery');
    el().querySelector<HTMLButtonElement>('.segmented[aria-label=View] button')!.click();
    expect(router.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { view: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  });

  it('falls back to problems first for an unknown ?sort', async () => {
    fixture.componentRef.setInput('sort', 'size');
    await render();
    expect(listRequest().request.params.get('sort')).toBe('trouble');
  });

  it('marks presence unknown while the api cannot be reached, and loads the page again when it is back', async () => {
    listRequest().flush(page(devices()));
    await render();
    const connectivity = TestBed.inject(Connectivity);
    connectivity.lost();
    await render();
    expect(all('[data-testid=status]')).toEqual(['Unknown', 'Unknown']);
    expect(text('[data-device=gh-1] [data-testid=last-seen]')).toBe('last known: 10 s ago');
    connectivity.reached();
    await render();
    listRequest().flush(page(devices()));
    await render();
    expect(all('[data-testid=status]')).toEqual(['Offline', 'Online']);
  });

  it('on a wall screen (?kiosk=1) reads the page again every minute', async () => {
    fixture.componentRef.setInput('kiosk', '1');
    listRequest().flush(page(devices()));
    await render();
    await vi.advanceTimersByTimeAsync(60_000);
    listRequest().flush(page(devices().slice(1)));
    await render();
    expect(all('[data-device] .name')).toEqual(['Greenhouse']);
  });

  it('gives every sparkline of one metric the same scale', () => {
    listRequest().flush(page([]));
    const k = (d: string, m: string) => `${d}\u0000${m}`;
    expect(
      sparkRanges({
        [k('a', 'temp')]: [
          [1, 20],
          [2, 20.3],
        ],
        [k('b', 'temp')]: [[1, 5]],
        [k('a', 'rh')]: [[1, 40]],
      }),
    ).toEqual({ temp: [5, 20.3], rh: [40, 40] });
  });

  it('calls a device page live only while the api answers and the device is online', () => {
    listRequest().flush(page([]));
    const d = { online: null, lastSeen: now - 10_000 };
    expect(liveData(null, d, now)).toBe(true);
    expect(liveData(now, d, now)).toBe(false);
    expect(liveData(null, { online: false, lastSeen: now }, now)).toBe(false);
    expect(liveData(null, undefined, now)).toBe(false);
  });
});
