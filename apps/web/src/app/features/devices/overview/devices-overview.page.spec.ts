import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { LiveStream } from '../../../core/live-stream';
import { DevicesOverviewPage, PAGE_SIZE } from './devices-overview.page';

const ids = Array.from({ length: 450 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);

describe(DevicesOverviewPage.name, () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<DevicesOverviewPage>;
  let sent: string[][];

  const sparkRequests = () => http.match((r) => r.url === '/api/v1/sparklines');
  const flushSparks = (req: TestRequest) => {
    const devices = req.request.params.get('devices')!.split(',');
    const now = Date.now();
    req.flush({
      window: 3600,
      points: 40,
      bucketSeconds: 93,
      series: devices.map((deviceId) => ({
        deviceId,
        metric: 'temperature',
        points: [
          { ts: new Date(now - 120_000).toISOString(), avg: 20 },
          { ts: new Date(now - 60_000).toISOString(), avg: 21 },
        ],
      })),
    });
  };
  /** Answers the sparkline requests one at a time until none follows; the chunk sizes. */
  const flushAll = async () => {
    const sizes: number[] = [];
    for (let reqs = sparkRequests(); reqs.length; reqs = sparkRequests()) {
      expect(reqs).toHaveLength(1); // one chunk at a time
      expect(reqs[0].request.params.get('window')).toBe('3600');
      const devices = reqs[0].request.params.get('devices')!.split(',');
      sent.push(devices);
      sizes.push(devices.length);
      flushSparks(reqs[0]);
      await render();
    }
    return sizes;
  };
  /**
   * Lets responses resolve, renders (and so runs the page's effects), then lets what those started at once run: 1 ms,
   * as a zero-delay timer set inside a fake-timer callback is due 1 ms later.
   */
  const render = async () => {
    await vi.advanceTimersByTimeAsync(1);
    TestBed.tick();
    await vi.advanceTimersByTimeAsync(1);
  };
  const deviceRequests = () => http.match((r) => r.url === '/api/v1/devices');
  /** Answers the one pending devices request with `page` of a fleet of `total`. */
  const flushDevices = (page: string[], total = ids.length) => {
    const [req, ...more] = deviceRequests();
    expect(more).toEqual([]);
    const now = new Date().toISOString();
    req.flush({
      items: page.map((id) => ({
        id,
        name: id,
        location: null,
        lastSeen: now,
        online: true,
        status: null,
        battery: null,
        latest: { temperature: { value: 1, ts: now } },
      })),
      total,
      limit: Number(req.request.params.get('limit')),
      offset: Number(req.request.params.get('offset')),
      fleetTotal: ids.length,
      fleetOnline: ids.length,
      offlineAfterSeconds: 300,
    });
    return req.request.params;
  };
  const settle = async () => {
    await vi.advanceTimersByTimeAsync(400); // past the debounce
    await render();
  };

  beforeEach(async () => {
    sent = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: LiveStream, useValue: { listen: () => () => undefined } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(DevicesOverviewPage);
    flushDevices(ids.slice(0, PAGE_SIZE));
    await render();
  });

  afterEach(() => {
    // the metric catalog is fetched once by every devices page; these tests run without one
    for (const r of http.match('/api/v1/metrics/catalog'))
      r.flush({}, { status: 404, statusText: 'Not Found' });
    http.verify();
    vi.useRealTimers();
  });

  it('shows one page of the fleet with its totals, and the sparklines of the shown devices in one request', async () => {
    await render(); // the first set without waiting for a pause
    expect(await flushAll()).toEqual([PAGE_SIZE]);
    expect(sent.flat()).toEqual(ids.slice(0, PAGE_SIZE));
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelectorAll('[data-device]')).toHaveLength(PAGE_SIZE);
    expect(el.querySelector('[data-testid=device-count]')!.textContent).toContain('450 total');
    expect(el.querySelector('[data-testid=page-range]')!.textContent!.trim()).toBe(`1–${PAGE_SIZE} of 450`);
    expect(el.querySelector(`[data-device="dev-${PAGE_SIZE - 1}"] sh-sparkline path`)).not.toBeNull();
  });

  it('pages on: the next page is the server’s, with the sparklines of its devices', async () => {
    await settle();
    await flushAll();
    (fixture.nativeElement.querySelector('[data-testid=next-page]') as HTMLButtonElement).click();
    await render();
    const params = flushDevices(ids.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    expect(params.get('offset')).toBe(String(PAGE_SIZE));
    await settle();
    expect(await flushAll()).toEqual([PAGE_SIZE]);
    expect(sent[1]).toEqual(ids.slice(PAGE_SIZE, 2 * PAGE_SIZE));
  });

  it('searches on the server once typing pauses; sparklines only for devices not fetched in the last minute', async () => {
    await settle();
    expect(await flushAll()).toEqual([PAGE_SIZE]);

    const search = async (q: string) => {
      const input: HTMLInputElement = fixture.nativeElement.querySelector('[data-testid=search]');
      input.value = q;
      input.dispatchEvent(new Event('input'));
      await render();
    };
    await search('dev-0');
    await vi.advanceTimersByTimeAsync(100);
    await search('dev-01');
    expect(deviceRequests()).toEqual([]); // still typing
    await settle();
    const params = flushDevices(ids.slice(10, 20), 10);
    expect(params.get('q')).toBe('dev-01');
    expect(params.get('offset')).toBe('0');
    await settle();
    expect(sparkRequests()).toEqual([]); // all fetched a moment ago
    expect(fixture.nativeElement.querySelector('[data-testid=pager]')).toBeNull();

    await vi.advanceTimersByTimeAsync(61_000);
    await search('dev-02');
    await settle();
    flushDevices(ids.slice(20, 30), 10);
    await settle();
    const [req, ...rest] = sparkRequests();
    expect(rest).toEqual([]);
    expect(req.request.params.get('devices')!.split(',')).toEqual(ids.slice(20, 30));
    flushSparks(req);
  });

  it('compares the devices ticked, across pages, once two are ticked', async () => {
    await settle();
    await flushAll();
    const el: HTMLElement = fixture.nativeElement;
    const tick = async (id: string, on = true) => {
      const box = el.querySelector<HTMLInputElement>(`[data-pick="${id}"]`)!;
      box.checked = on;
      box.dispatchEvent(new Event('change'));
      await render();
    };
    const link = () => el.querySelector<HTMLAnchorElement>('[data-testid=compare-link]');
    await tick('dev-003');
    expect(link()).toBeNull();
    expect(el.textContent).toContain('Tick another device to compare');
    (el.querySelector('[data-testid=next-page]') as HTMLButtonElement).click();
    await render();
    flushDevices(ids.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    await settle();
    await flushAll();
    await tick(ids[PAGE_SIZE + 1]);
    await tick(ids[PAGE_SIZE + 2]);
    await tick(ids[PAGE_SIZE + 1], false);
    expect(link()!.textContent!.trim()).toBe('Compare 2');
    expect(new URL(link()!.href).searchParams.get('devices')).toBe(`dev-003,${ids[PAGE_SIZE + 2]}`);
    expect(new URL(link()!.href).pathname).toBe('/devices/compare');
  });
});
