import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { LiveListener, LiveStream } from '../../../core/live-stream';
import { DevicesOverviewPage } from './devices-overview.page';

describe(`${DevicesOverviewPage.name} (filters, states, live updates)`, () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<DevicesOverviewPage>;
  let live: LiveListener;
  let now: number;

  const el = () => fixture.nativeElement as HTMLElement;
  const text = (sel: string) => el().querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
  const cards = () => [...el().querySelectorAll('[data-device]')].map((c) => c.getAttribute('data-device'));
  const render = async () => {
    await vi.advanceTimersByTimeAsync(1);
    TestBed.tick();
    await vi.advanceTimersByTimeAsync(1);
  };
  const listRequest = () => http.expectOne((r) => r.url === '/api/v1/devices');
  const page = (items: object[], fleetTotal = 2, fleetOnline = 1) => ({
    items,
    total: items.length,
    offset: 0,
    limit: 120,
    fleetTotal,
    fleetOnline,
    offlineAfterSeconds: 300,
  });
  const iso = (t: number) => new Date(t).toISOString();
  /** a device as GET /devices lists it */
  const bare = (id: string) => ({
    id,
    name: null,
    location: null,
    metadata: {},
    firstSeen: iso(now),
    lastSeen: iso(now),
    online: true,
    status: null,
    battery: null,
    latest: {},
  });
  const answerSparks = () =>
    http.match((r) => r.url === '/api/v1/sparklines').forEach((r) => r.flush({ series: [] }));
  const devices = () => [
    {
      id: 'gh-1',
      name: 'Greenhouse',
      location: 'Bay 3',
      lastSeen: new Date(now - 10_000).toISOString(),
      online: true,
      status: null,
      battery: 87,
      latest: { temperature: { value: 21, ts: new Date(now - 10_000).toISOString() } },
    },
    {
      id: 'ws-2',
      name: 'Weather station',
      location: 'Roof',
      lastSeen: new Date(now - 3 * 3_600_000).toISOString(),
      online: false,
      status: null,
      battery: 12,
      latest: {},
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
        { provide: LiveStream, useValue: { listen: (l: LiveListener) => ((live = l), () => undefined) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DevicesOverviewPage);
  });
  afterEach(() => {
    try {
      // the metric catalog is fetched once by every devices page; these tests run without one
      for (const r of http.match('/api/v1/metrics/catalog'))
        r.flush({}, { status: 404, statusText: 'Not Found' });
      http.verify();
    } finally {
      vi.useRealTimers();
      TestBed.resetTestingModule();
    }
  });

  async function loaded(): Promise<void> {
    listRequest().flush(page(devices()));
    await render();
    answerSparks();
    await render();
  }

  it('shows each device with its state: online or not, low battery, or no readings yet', async () => {
    await loaded();
    expect(cards()).toEqual(['gh-1', 'ws-2']);
    expect(text('[data-testid=device-count]')).toBe('1 online · 2 total');
    expect(text('[data-device=gh-1] [data-testid=status]')).toBe('Online');
    expect(text('[data-device=ws-2] [data-testid=status]')).toBe('Offline');
    expect(el().querySelector('[data-device=ws-2] [data-testid=battery]')!.classList).toContain('low');
    expect(text('[data-device=ws-2] .no-metrics')).toBe('No readings yet');
  });

  it('asks the server for the chosen status and search, and "Clear filters" shows every device again', async () => {
    await loaded();
    el().querySelector<HTMLButtonElement>('.segmented button:nth-child(3)')!.click(); // offline
    await vi.advanceTimersByTimeAsync(300);
    const offline = listRequest();
    expect(offline.request.params.get('status')).toBe('offline');
    offline.flush(page([devices()[1]]));
    await render();
    expect(cards()).toEqual(['ws-2']);

    const search = el().querySelector<HTMLInputElement>('[data-testid=search]')!;
    search.value = 'greenhouse';
    search.dispatchEvent(new Event('input'));
    await vi.advanceTimersByTimeAsync(300);
    const searched = listRequest();
    expect(searched.request.params.get('q')).toBe('greenhouse');
    searched.flush(page([]));
    await render();
    expect(text('sh-state')).toContain('No devices match');
    el().querySelector<HTMLButtonElement>('sh-state button')!.click();
    await vi.advanceTimersByTimeAsync(300);
    const all = listRequest();
    expect(all.request.params.has('q')).toBe(false);
    expect(all.request.params.has('status')).toBe(false);
    all.flush(page(devices()));
    await render();
    expect(cards()).toEqual(['gh-1', 'ws-2']);
    await vi.advanceTimersByTimeAsync(400);
    answerSparks();
  });

  it('moves a card with live readings and device updates, and fetches the page again for a new device', async () => {
    await loaded();
    live.readings!([
      { deviceId: 'gh-1', metric: 'temperature', ts: iso(now), value: 23.5 },
      { deviceId: 'gh-1', metric: 'humidity', ts: iso(now), value: 40 },
      { deviceId: 'gh-1', metric: 'temperature', ts: iso(now - 60_000), value: 1 }, // older than what is shown
    ]);
    await render();
    expect(text('[data-device=gh-1] [data-metric=temperature] [data-testid=metric-value]')).toBe('23.5');
    expect(text('[data-device=gh-1] [data-metric=humidity] [data-testid=metric-value]')).toBe('40');

    live.devices!([{ id: 'ws-2', lastSeen: iso(now), online: true, battery: 55 }]);
    await render();
    expect(text('[data-device=ws-2] [data-testid=status]')).toBe('Online');
    expect(text('[data-device=ws-2] [data-testid=battery]')).toBe('55%');

    live.readings!([{ deviceId: 'new-3', metric: 'co2', ts: iso(now), value: 410 }]);
    live.devices!([{ id: 'new-3', lastSeen: iso(now) }]);
    await vi.advanceTimersByTimeAsync(1000); // one reload for the burst: this page has room for it
    listRequest().flush(
      page([...devices(), { ...bare('new-3'), latest: { co2: { value: 410, ts: iso(now) } } }], 3, 2),
    );
    await render();
    expect(cards()).toContain('new-3');
    await vi.advanceTimersByTimeAsync(400);
    answerSparks();
  });

  it('offers a retry when the list cannot be loaded, and explains how devices appear in an empty fleet', async () => {
    listRequest().flush(
      { statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: 'database unavailable' },
      { status: 503, statusText: '' },
    );
    await render();
    expect(text('sh-state')).toContain('Devices could not be loaded');
    expect(text('sh-state')).toContain('database unavailable');
    el().querySelector<HTMLButtonElement>('sh-state button')!.click();
    await render();
    listRequest().flush(page([], 0, 0));
    await render();
    expect(text('sh-state')).toContain('No devices yet');
    expect(text('sh-state')).toContain('devices/<id>/temperature');
  });

  it('tells a user sent here by the admin guard why', async () => {
    fixture.componentRef.setInput('denied', '1');
    await loaded();
    expect(text('.alert.info')).toContain('That page is for administrators');
  });
});
