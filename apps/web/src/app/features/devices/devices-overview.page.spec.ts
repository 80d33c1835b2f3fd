import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { LiveStream } from '../../core/live-stream';
import { DevicesOverviewPage } from './devices-overview.page';

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
    const now = new Date().toISOString();
    http
      .expectOne('/api/v1/devices')
      .flush(
        ids.map((id) => ({ id, name: id, lastSeen: now, latest: { temperature: { value: 1, ts: now } } })),
      );
    await render();
  });

  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  it('fetches the sparklines of every shown device in requests of at most 200 ids, top of the page first', async () => {
    await render(); // the first set without waiting for a pause
    expect(await flushAll()).toEqual([200, 200, 50]);
    expect(sent.flat()).toEqual(ids);
    // no cap: the last device draws its trend too
    const last = fixture.nativeElement.querySelector('[data-device="dev-449"] sh-sparkline path');
    expect(last).not.toBeNull();
  });

  it('asks again once the search pauses, only for shown devices not fetched in the last minute', async () => {
    await settle();
    expect(await flushAll()).toEqual([200, 200, 50]);

    const search = async (q: string) => {
      const input: HTMLInputElement = fixture.nativeElement.querySelector('[data-testid=search]');
      input.value = q;
      input.dispatchEvent(new Event('input'));
      await render();
    };
    await search('dev-00');
    await settle();
    expect(sparkRequests()).toEqual([]); // all fetched a moment ago

    await vi.advanceTimersByTimeAsync(61_000);
    await search('dev-0');
    await vi.advanceTimersByTimeAsync(100);
    await search('dev-01');
    expect(sparkRequests()).toEqual([]); // still typing
    await settle();
    const [req, ...rest] = sparkRequests();
    expect(rest).toEqual([]);
    expect(req.request.params.get('devices')!.split(',')).toEqual(ids.slice(10, 20));
    flushSparks(req);
  });
});
