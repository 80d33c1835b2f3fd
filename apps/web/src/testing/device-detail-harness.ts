import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { Router, provideRouter } from '@angular/router';
import type { MockInstance } from 'vitest';

import { SESSION_KEY } from '../app/core/auth.service';
import { AlertsState } from '../app/core/alerts-state';
import { LiveListener, LiveStream } from '../app/core/live-stream';
import { ChartComponent } from '../app/shared/chart/chart.component';
import { FakeEChart, provideFakeECharts } from './fake-echarts';
import { DeviceDetailPage } from '../app/features/devices/detail/device-detail.page';

export const HOUR = 3_600_000;
type Series = { id: string; name: string; data: [number, number][] }[];

/**
 * The device page under test with a fake chart library, live stream and HTTP backend; call in a describe() body.
 * Shared by the page's spec files (each test calls setup() with a role and the URL's inputs).
 */
export function deviceDetailHarness() {
  let fixture: ComponentFixture<DeviceDetailPage>;
  let http: HttpTestingController;
  let navigate: MockInstance<Router['navigate']>;
  let live: LiveListener | undefined;
  let echarts: FakeEChart[];
  const now = Date.now();
  const device = {
    id: 'gh-1',
    name: 'Greenhouse north',
    location: 'Bay 3',
    lastSeen: new Date(now - 30_000).toISOString(),
    online: true,
    battery: 87,
    metadata: { floor: 2 },
    latest: {
      temperature: { value: 21.5, ts: new Date(now - 30_000).toISOString() },
      humidity: { value: 40, ts: new Date(now - 30_000).toISOString() },
    },
  };

  /** the device as last answered: `gh-1:*` (every metric) stands for its metrics */
  let answered: { latest?: object } = device;

  function setup(role: 'viewer' | 'operator', inputs: Record<string, string> = {}): void {
    answered = device;
    localStorage.setItem(
      SESSION_KEY,
      JSON.stringify({
        token: 't',
        expiresAt: Date.now() + HOUR,
        user: { id: 'u', email: 'o@example.com', role },
      }),
    );
    const fake = provideFakeECharts();
    echarts = fake.charts;
    TestBed.configureTestingModule({
      providers: [
        fake.provider,
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: AlertsState, useValue: { firing: signal([]), changes: signal(0) } },
        {
          provide: LiveStream,
          useValue: { listen: (l: LiveListener) => ((live = l), () => (live = undefined)) },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    // the page follows its URL: a navigation sets the query values as the router's input binding would
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockImplementation(async (_c, extras) => {
      for (const [k, v] of Object.entries(extras?.queryParams ?? {}))
        fixture.componentRef.setInput(k, v ?? undefined);
      return true;
    });
    fixture = TestBed.createComponent(DeviceDetailPage);
    fixture.componentRef.setInput('id', 'gh-1');
    for (const [k, v] of Object.entries(inputs)) fixture.componentRef.setInput(k, v);
  }

  const el = () => fixture.nativeElement as HTMLElement;
  const text = (sel: string) => el().querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
  /** lets answered requests resolve and renders (whenStable would wait for the requests still open) */
  const stable = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 0));
      TestBed.tick();
    }
  };
  /** the page asks for all its metrics in one GET /series (`gh-1:humidity,gh-1:temperature`) */
  const readingRequests = () => http.match((r) => r.url === '/api/v1/series');
  const charts = () => fixture.debugElement.queryAll(By.directive(ChartComponent));
  const drawn = (i = 0) => (charts()[i].componentInstance as ChartComponent).options()['series'] as Series;
  /** the averages drawn as the line of `metric` in chart i (the band series carry min and max) */
  const line = (i: number, metric: string) =>
    drawn(i)
      .find((s) => s.id === metric)!
      .data.map((p) => p[1]);
  const bucket = (t: number, avg: number) => ({
    ts: new Date(t).toISOString(),
    min: avg - 1,
    avg,
    max: avg + 1,
    count: 12,
  });

  async function loadDevice(body: object = device): Promise<void> {
    await stable();
    answered = body;
    http.expectOne('/api/v1/devices/gh-1').flush(body);
    await stable();
  }
  /**
   * answers each series request with two hourly buckets of every metric it names (`*`: `all`, by default the
   * metrics of the device as last answered, in name order); the metrics answered
   */
  async function answerReadings(
    reqs: TestRequest[] = readingRequests(),
    all: string[] = Object.keys(answered.latest ?? {}).sort(),
  ): Promise<string[]> {
    const asked: string[] = [];
    for (const r of reqs) {
      const metrics = r.request.params
        .get('series')!
        .split(',')
        .flatMap((k) => {
          const m = k.split(':')[1];
          return m === '*' ? all : [m];
        });
      asked.push(...metrics);
      const series = metrics.map((metric) => {
        const v = metric === 'temperature' ? 20 : 50;
        const points = [bucket(now - 2 * HOUR, v), bucket(now - HOUR, v + 1)];
        return { deviceId: 'gh-1', metric, bucketSeconds: 120, points };
      });
      r.flush({ series });
    }
    await stable();
    return asked;
  }

  afterEach(() => {
    try {
      // the metric catalog is fetched once by every devices page; these tests run without one
      for (const r of http.match('/api/v1/metrics/catalog'))
        r.flush({}, { status: 404, statusText: 'Not Found' });
      // the device's alert history (for the chart markers); these tests run without alerts
      for (const r of http.match((q) => q.url === '/api/v1/alerts'))
        r.flush({ items: [], total: 0, firing: {} });
      http.verify();
    } finally {
      localStorage.clear();
      TestBed.resetTestingModule();
    }
  });

  return {
    get fixture() {
      return fixture;
    },
    get http() {
      return http;
    },
    get navigate() {
      return navigate;
    },
    get live() {
      return live;
    },
    get echarts() {
      return echarts;
    },
    now,
    device,
    setup,
    el,
    text,
    stable,
    readingRequests,
    charts,
    drawn,
    line,
    bucket,
    loadDevice,
    answerReadings,
  };
}
