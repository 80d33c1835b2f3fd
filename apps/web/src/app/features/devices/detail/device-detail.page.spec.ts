import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { Router, provideRouter } from '@angular/router';
import type { MockInstance } from 'vitest';

import { LiveReading } from '../../../core/api.types';
import { SESSION_KEY } from '../../../core/auth.service';
import { AlertsState } from '../../../core/alerts-state';
import { LiveListener, LiveStream } from '../../../core/live-stream';
import { ChartComponent } from '../../../shared/chart/chart.component';
import { FakeEChart, provideFakeECharts } from '../../../../testing/fake-echarts';
import { DeviceDetailPage } from './device-detail.page';

const HOUR = 3_600_000;
type Series = { id: string; name: string; data: [number, number][] }[];

describe(DeviceDetailPage.name, () => {
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

  function setup(role: 'viewer' | 'operator', inputs: Record<string, string> = {}): void {
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
    navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
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
  const readingRequests = () => http.match((r) => r.url === '/api/v1/devices/gh-1/readings');
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
    http.expectOne('/api/v1/devices/gh-1').flush(body);
    await stable();
  }
  /** answers each readings request with two hourly buckets of its metric */
  async function answerReadings(reqs: TestRequest[] = readingRequests()): Promise<string[]> {
    const metrics = reqs.map((r) => r.request.params.get('metric')!);
    for (const r of reqs) {
      const metric = r.request.params.get('metric')!;
      const v = metric === 'temperature' ? 20 : 50;
      r.flush({ metric, bucketSeconds: 120, points: [bucket(now - 2 * HOUR, v), bucket(now - HOUR, v + 1)] });
    }
    await stable();
    return metrics;
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

  it('shows the device and one chart per metric over the last 24 h, with the latest value', async () => {
    setup('viewer');
    await loadDevice();
    expect(text('[data-testid=device-name]')).toBe('Greenhouse north');
    expect(text('.sub')).toContain('Bay 3');
    expect(text('.sub')).toContain('battery 87%');
    expect(text('.badge')).toBe('Online');
    expect(text('[data-testid=metadata] dt')).toBe('floor');
    expect(text('[data-testid=metadata] dd')).toBe('2');

    const reqs = readingRequests();
    const from = Date.parse(reqs[0].request.params.get('from')!);
    const to = Date.parse(reqs[0].request.params.get('to')!);
    expect(to - from).toBe(24 * HOUR);
    expect(await answerReadings(reqs)).toEqual(['humidity', 'temperature']);
    expect(text('[data-testid=range-label]')).toBe('Last 24 h');

    expect(charts()).toHaveLength(2);
    expect(line(1, 'temperature')).toEqual([20, 21]);
    expect(text('[data-chart=temperature] h2')).toBe('temperature');
    expect(text('[data-chart=temperature] header span')).toBe(
      'averages per 2 min, band = min–max · latest 21',
    );
    // a viewer may not edit or send commands
    expect(el().querySelector('[data-testid=edit-device]')).toBeNull();
    expect(el().querySelector('sh-device-command')).toBeNull();
  });

  it("shades the device's alerts on their metric's chart from firing to resolve", async () => {
    setup('viewer');
    await loadDevice();
    await answerReadings();
    const req = http.expectOne((r) => r.url === '/api/v1/alerts');
    expect(req.request.params.get('deviceId')).toBe('gh-1');
    const alert = { id: 'a1', ruleId: 'r1', ruleName: 'Hot', deviceId: 'gh-1', metric: 'temperature' };
    req.flush({
      items: [
        { ...alert, severity: 'critical', state: 'resolved', value: 41, threshold: 40, thresholdHigh: null },
      ].map((a) => ({
        ...a,
        startedAt: new Date(now - 2 * HOUR).toISOString(),
        firedAt: new Date(now - 2 * HOUR).toISOString(),
        resolvedAt: new Date(now - HOUR).toISOString(),
      })),
      total: 1,
      firing: {},
    });
    await stable();
    const s = drawn(1).find((x) => x.id === 'temperature') as unknown as {
      markArea: { data: [{ xAxis: number }, { xAxis: number }][] };
    };
    expect(s.markArea.data.map(([a, b]) => [a.xAxis, b.xAxis])).toEqual([[now - 2 * HOUR, now - HOUR]]);
    expect(drawn(0).find((x) => x.id === 'humidity')).not.toHaveProperty('markArea');
  });

  it('names charts, metric choices and the latest value by the metric catalog, with units', async () => {
    setup('viewer');
    await stable();
    http.expectOne('/api/v1/metrics/catalog').flush({
      metrics: [
        { name: 'temperature', displayName: 'Temperature', unit: '°C', decimals: 1, min: -80, max: 150 },
      ],
    });
    await loadDevice();
    await answerReadings();
    expect(text('[data-chart=temperature] h2')).toBe('Temperature (°C)');
    expect(text('[data-chart=temperature] header span')).toContain(`latest ${(21).toFixed(1)} °C`);
    expect(drawn(1).find((s) => s.id === 'temperature')!.name).toBe('Temperature (°C)');
    // not in the catalog: its name, no unit
    expect(text('[data-chart=humidity] h2')).toBe('humidity');
    expect([...el().querySelectorAll('.pick')].map((l) => l.textContent!.trim())).toEqual([
      'humidity',
      'Temperature',
    ]);
  });

  it('draws the chosen metrics in one overlaid chart, and asks only for those', async () => {
    setup('viewer', { view: 'overlay', metrics: 'temperature,humidity' });
    await loadDevice({ ...device, latest: { ...device.latest, co2: { value: 400, ts: device.lastSeen } } });
    expect(await answerReadings()).toEqual(['humidity', 'temperature']);
    expect(charts()).toHaveLength(1);
    expect(text('[data-chart=overlay] h2')).toBe('humidity · temperature');

    // unticking a metric changes the URL; the page follows the URL
    const box = [...el().querySelectorAll<HTMLLabelElement>('.pick')].find((l) =>
      l.textContent!.includes('humidity'),
    )!;
    box.querySelector('input')!.dispatchEvent(new Event('change'));
    expect(navigate).toHaveBeenLastCalledWith([], {
      queryParams: { metrics: 'temperature' },
      queryParamsHandling: 'merge',
    });
    el().querySelector<HTMLButtonElement>('[aria-label=Layout] button')!.click();
    expect(navigate).toHaveBeenLastCalledWith([], {
      queryParams: { view: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  });

  it('says so when the device has no readings yet, or when no metric is picked', async () => {
    setup('viewer');
    await loadDevice({ ...device, latest: {} });
    expect(text('sh-state')).toContain('No readings yet');
    expect(readingRequests()).toEqual([]);
  });

  it('asks for no readings when every metric is unticked', async () => {
    setup('viewer', { metrics: '-' });
    await loadDevice();
    expect(text('sh-state')).toContain('No metric selected');
    expect(readingRequests()).toEqual([]);
    expect(el().querySelector<HTMLButtonElement>('[data-testid=export-csv]')!.disabled).toBe(true);
  });

  it('shows a retry when the device or its readings cannot be loaded', async () => {
    setup('viewer');
    await stable();
    http
      .expectOne('/api/v1/devices/gh-1')
      .flush({ message: 'database unavailable' }, { status: 503, statusText: '' });
    await stable();
    expect(text('sh-state')).toContain('This device could not be loaded');
    expect(text('sh-state')).toContain('database unavailable');
    el().querySelector<HTMLButtonElement>('sh-state button')!.click();
    await loadDevice();
    for (const r of readingRequests()) r.flush({ message: 'timeout' }, { status: 504, statusText: '' });
    await stable();
    expect(text('sh-state')).toContain('Readings could not be loaded');
    el().querySelector<HTMLButtonElement>('sh-state button')!.click();
    await stable();
    await answerReadings();
    expect(charts()).toHaveLength(2);
  });

  it('changes the range through the URL: presets, and a custom range that must end after it starts', async () => {
    setup('viewer');
    await loadDevice();
    await answerReadings();
    el().querySelector<HTMLButtonElement>('[data-range="7d"]')!.click();
    expect(navigate).toHaveBeenLastCalledWith([], {
      queryParams: { range: '7d', from: null, to: null },
      queryParamsHandling: 'merge',
    });

    el().querySelector<HTMLButtonElement>('[data-range=custom]')!.click();
    await stable();
    const form = el().querySelector<HTMLFormElement>('[data-testid=custom-range]')!;
    const set = (name: string, v: string) => {
      const i = form.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
      i.value = v;
      i.dispatchEvent(new Event('input'));
    };
    set('from', '2026-01-02T00:00');
    set('to', '2026-01-01T00:00');
    form.dispatchEvent(new Event('submit'));
    await stable();
    expect(text('[data-testid=custom-range] .err')).toBe('"From" must be before "To".');
    set('to', '2026-01-03T00:00');
    form.dispatchEvent(new Event('submit'));
    expect(navigate).toHaveBeenLastCalledWith([], {
      queryParams: {
        range: null,
        from: new Date('2026-01-02T00:00').toISOString(),
        to: new Date('2026-01-03T00:00').toISOString(),
      },
      queryParamsHandling: 'merge',
    });
    // a preset re-anchors "now": the charts are fetched again for it
    expect(await answerReadings()).toEqual(['humidity', 'temperature']);
  });

  it('shows a custom range from the URL by its dates, without live points', async () => {
    setup('viewer', { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
    await loadDevice();
    const reqs = readingRequests();
    expect(reqs[0].request.params.get('from')).toBe('2026-01-01T00:00:00.000Z');
    await answerReadings(reqs);
    expect(text('[data-testid=range-label]')).toContain('–');
    live!.readings!([{ deviceId: 'gh-1', metric: 'temperature', ts: new Date().toISOString(), value: 30 }]);
    await stable();
    expect(line(1, 'temperature')).toEqual([20, 21]);
  });

  it('extends the charts with live readings and updates the latest values', async () => {
    setup('viewer');
    await loadDevice();
    await answerReadings();
    const ts = new Date().toISOString();
    const batch: LiveReading[] = [
      { deviceId: 'other', metric: 'temperature', ts, value: 99 },
      { deviceId: 'gh-1', metric: 'temperature', ts, value: 23 },
    ];
    live!.readings!(batch);
    await stable();
    expect(line(1, 'temperature')).toEqual([20, 21, 23]);
    expect(text('[data-chart=temperature] header')).toContain('latest 23');

    // a metric the device starts sending gets its own chart
    live!.readings!([{ deviceId: 'gh-1', metric: 'co2', ts, value: 415 }]);
    await stable();
    // in name order, as a reload of the page shows them
    expect(await answerReadings()).toEqual(['co2', 'humidity', 'temperature']);
    expect(charts()).toHaveLength(3);
  });

  it('loads the zoomed window at a finer resolution, and goes back on reset', async () => {
    setup('viewer', { metrics: 'temperature' });
    await loadDevice();
    await answerReadings();
    const z = { start: now - 2 * HOUR + 1, end: now - HOUR - 1 };
    await vi.waitFor(() => expect(echarts).toHaveLength(1));
    echarts[0].zoom({ start: 20, end: 60, startValue: z.start, endValue: z.end });
    await new Promise((r) => setTimeout(r, 300)); // the chart reports a zoom once the slider rests (250 ms)
    await stable();
    const [fine] = readingRequests();
    expect(Date.parse(fine.request.params.get('from')!)).toBe(z.start);
    const raw = (t: number, value: number) => ({
      ts: new Date(t).toISOString(),
      min: value,
      avg: value,
      max: value,
      count: 1,
    });
    fine.flush({
      metric: 'temperature',
      bucketSeconds: null,
      points: [raw(z.start + 1000, 19), raw(z.start + 2000, 19.5)],
    });
    await stable();
    expect(text('[data-chart=temperature] header')).toContain('raw readings');
    expect(text('.range-note')).toContain('zoomed to');
    // the fine points replace the coarse ones inside the window only
    expect(line(0, 'temperature')).toEqual([20, 19, 19.5, 21]);

    el().querySelector<HTMLButtonElement>('.range-note .linkish')!.click();
    await stable();
    expect(text('.range-note')).not.toContain('zoomed to');
    expect(line(0, 'temperature')).toEqual([20, 21]);

    // dragging back to the full range is no zoom at all
    echarts[0].zoom({ start: 0, end: 100, startValue: z.start, endValue: z.end });
    await new Promise((r) => setTimeout(r, 300));
    await stable();
    expect(readingRequests()).toEqual([]);
  });

  it('exports the shown range as CSV named after the device and times, and says when it fails', async () => {
    setup('viewer', { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
    await loadDevice();
    await answerReadings();
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:csv', revokeObjectURL: () => undefined }),
    );
    el().querySelector<HTMLButtonElement>('[data-testid=export-csv]')!.click();
    await stable();
    http
      .expectOne((r) => r.url === '/api/v1/devices/gh-1/readings/export')
      .flush('device_id,metric,ts,value\n');
    await vi.waitFor(() => expect(clicks).toHaveLength(1));
    expect(clicks[0].download).toBe('gh-1_2026-01-01T0000_2026-01-02T0000.csv');

    el().querySelector<HTMLButtonElement>('[data-testid=export-csv]')!.click();
    await stable();
    http
      .expectOne((r) => r.url === '/api/v1/devices/gh-1/readings/export')
      .flush('no', { status: 500, statusText: 'Server Error' });
    await vi.waitFor(() => expect(text('.alert.error')).toBe('Export failed: Server Error'));
    vi.unstubAllGlobals();
  });

  it('lets an operator rename the device and edit its metadata, refusing a key used twice', async () => {
    setup('operator');
    await loadDevice();
    await answerReadings();
    expect(el().querySelector('sh-device-command')).not.toBeNull();
    el().querySelector<HTMLButtonElement>('[data-testid=edit-device]')!.click();
    await stable();
    const form = el().querySelector<HTMLFormElement>('[data-testid=edit-form]')!;
    const name = form.querySelector<HTMLInputElement>('input[name=name]')!;
    await stable();
    name.value = 'Greenhouse south';
    name.dispatchEvent(new Event('input'));
    form.querySelector<HTMLButtonElement>('[data-testid=add-metadata]')!.click();
    await stable();
    const row = form.querySelector('[data-meta-row="1"]')!;
    const [key, value] = [...row.querySelectorAll<HTMLInputElement>('input')];
    key.value = 'floor';
    key.dispatchEvent(new Event('input'));
    value.value = '3';
    value.dispatchEvent(new Event('input'));
    form.dispatchEvent(new Event('submit'));
    await stable();
    expect(text('[data-testid=edit-form] .alert.error')).toBe('The key "floor" is used twice.');

    row.querySelector<HTMLButtonElement>('button')!.click(); // remove the duplicate row
    await stable();
    form.dispatchEvent(new Event('submit'));
    await stable();
    const patch = http.expectOne('/api/v1/devices/gh-1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({
      name: 'Greenhouse south',
      location: 'Bay 3',
      metadata: { floor: 2 },
    });
    patch.flush({ ...device, name: 'Greenhouse south' });
    await vi.waitFor(() => expect(text('[data-testid=device-name]')).toBe('Greenhouse south'));
    expect(el().querySelector('[data-testid=edit-form]')).toBeNull();
  });

  it("keeps the edit form open with the API's message when saving fails", async () => {
    setup('operator');
    await loadDevice();
    await answerReadings();
    el().querySelector<HTMLButtonElement>('[data-testid=edit-device]')!.click();
    await stable();
    el().querySelector('[data-testid=edit-form]')!.dispatchEvent(new Event('submit'));
    await stable();
    http
      .expectOne('/api/v1/devices/gh-1')
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'name is too long' },
        { status: 400, statusText: '' },
      );
    await vi.waitFor(() => expect(text('[data-testid=edit-form] .alert.error')).toBe('name is too long'));
  });
});
