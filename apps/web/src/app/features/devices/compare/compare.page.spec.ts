import { Router } from '@angular/router';
import { TestBed } from '@angular/core/testing';

import { DeviceResponse, SeriesResponse } from '@sensorhub/contracts';

import { provideFakeECharts, FakeEChart } from '../../../../testing/fake-echarts';
import { PageTest, setUpPage, signIn } from '../../../../testing/page-testing';
import { ComparePage } from './compare.page';

const NOW = '2026-11-29T10:00:00.000Z';

function device(id: string, name: string, metrics: string[]): DeviceResponse {
  return {
    id,
    name,
    location: null,
    metadata: {},
    firstSeen: NOW,
    lastSeen: NOW,
    online: true,
    status: 'ok',
    battery: null,
    latest: Object.fromEntries(metrics.map((m) => [m, { value: 1, ts: NOW }])),
  };
}

function series(keys: string[], values: number[][]): SeriesResponse {
  return {
    from: '2026-11-28T10:00:00.000Z',
    to: NOW,
    tz: null,
    series: keys.map((k, i) => ({
      deviceId: k.split(':')[0],
      metric: k.split(':')[1],
      from: '2026-11-28T10:00:00.000Z',
      to: NOW,
      tz: null,
      bucketSeconds: null,
      points: values[i].map((v, j) => ({
        ts: new Date(Date.parse(NOW) - (values[i].length - j) * 60_000).toISOString(),
        min: v,
        avg: v,
        max: v,
        count: 1,
      })),
    })),
  };
}

describe(ComparePage.name, () => {
  let t: PageTest<ComparePage>;
  let charts: FakeEChart[];
  let navigations: unknown[];

  function open(query: Record<string, string>): void {
    signIn('viewer');
    const fake = provideFakeECharts();
    charts = fake.charts;
    t = setUpPage(ComparePage, [fake.provider]);
    navigations = [];
    vi.spyOn(TestBed.inject(Router), 'navigate').mockImplementation(async (_c, extras) => {
      navigations.push(extras?.queryParams);
      return true;
    });
    for (const [k, v] of Object.entries(query)) t.fixture.componentRef.setInput(k, v);
  }
  async function answerDevices(list: DeviceResponse[]): Promise<void> {
    await t.stable();
    for (const r of t.http.match('/api/v1/metrics/catalog')) r.flush({ metrics: [] });
    for (const d of list) t.http.expectOne(`/api/v1/devices/${d.id}`).flush(d);
    await t.stable();
  }
  const seriesRequests = () => t.http.match((r) => r.url === '/api/v1/series');
  afterEach(() => t.done());

  it('on a wall screen (kiosk=1) hides the way back and reads the series again every minute, moved on to now', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      open({ devices: 'gh,freezer', range: 'now-1h', kiosk: '1' });
      await answerDevices([
        device('gh', 'Greenhouse', ['temperature']),
        device('freezer', 'Freezer', ['temperature']),
      ]);
      const keys = ['gh:temperature', 'freezer:temperature'];
      const [first] = seriesRequests();
      const to = Date.parse(first.request.params.get('to')!);
      first.flush(series(keys, [[1], [2]]));
      await t.stable();
      expect(t.el().querySelector('a.back')).toBeNull();
      expect(charts).toHaveLength(1);

      vi.advanceTimersByTime(60_000);
      await t.stable();
      const again = seriesRequests();
      expect(again).toHaveLength(1);
      expect(Date.parse(again[0].request.params.get('to')!) - to).toBe(60_000);
      again[0].flush(series(keys, [[1], [2]]));
      await t.stable();
    } finally {
      vi.useRealTimers();
    }
  });

  it('charts the metric all devices share for every device, from one request', async () => {
    open({ devices: 'gh,freezer,ws' });
    await answerDevices([
      device('gh', 'Greenhouse', ['humidity', 'temperature']),
      device('freezer', 'Freezer', ['temperature']),
      device('ws', 'Weather', ['temperature', 'humidity']),
    ]);
    const reqs = seriesRequests();
    expect(reqs).toHaveLength(1);
    expect(reqs[0].request.params.get('series')).toBe('gh:temperature,freezer:temperature,ws:temperature');
    reqs[0].flush(
      series(['gh:temperature', 'freezer:temperature', 'ws:temperature'], [[20, 22], [-19, -21], []]),
    );
    await t.stable();
    expect(t.text('h1')).toBe('Compare temperature');
    const rows = [...t.el().querySelectorAll('[data-testid=compare-legend] tbody tr')].map((r) =>
      [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim()).join(' '),
    );
    expect(rows).toEqual([
      'Greenhouse 20 22 21 22',
      'Freezer -21 -19 -20 -21',
      'Weather no readings in this range',
    ]);
    const lines = (charts.at(-1)!.option['series'] as { id: string; name: string }[]).map((s) => s.name);
    expect(lines).toEqual(['Greenhouse', 'Freezer', 'Weather']);
  });

  it('keeps the metric and the range in the URL', async () => {
    open({ devices: 'a,b', metric: 'humidity', range: 'now-7d' });
    await answerDevices([device('a', 'A', ['temperature', 'humidity']), device('b', 'B', ['humidity'])]);
    const [req] = seriesRequests();
    expect(req.request.params.get('series')).toBe('a:humidity,b:humidity');
    req.flush(series(['a:humidity', 'b:humidity'], [[40], [50]]));
    await t.stable();
    expect(t.el().querySelector('[data-range="now-7d"]')!.getAttribute('aria-pressed')).toBe('true');
    t.type(t.el().querySelector<HTMLSelectElement>('[data-testid=compare-metric]')!, 'temperature');
    t.click('[data-range="now-30d"]');
    expect(navigations).toEqual([{ metric: 'temperature' }, { range: 'now-30d', from: null, to: null }]);
  });

  it('says what went wrong when a device is unknown, and tries again on request', async () => {
    open({ devices: 'a,ghost' });
    await t.stable();
    for (const r of t.http.match('/api/v1/metrics/catalog')) r.flush({ metrics: [] });
    t.http.expectOne('/api/v1/devices/a').flush(device('a', 'A', ['temperature']));
    t.fail(t.http.expectOne('/api/v1/devices/ghost'), 404, 'NOT_FOUND', 'device not found');
    await t.stable();
    expect(t.text('sh-state')).toContain('device not found');
    t.click('sh-state button');
    await answerDevices([device('a', 'A', ['temperature']), device('ghost', 'Ghost', ['temperature'])]);
    seriesRequests()[0].flush(series(['a:temperature', 'ghost:temperature'], [[1], [2]]));
    await t.stable();
    expect(t.el().querySelectorAll('[data-testid=compare-legend] tbody tr')).toHaveLength(2);
  });

  it('asks for two or more devices, and says so when they have no readings', async () => {
    open({ devices: 'only-one' });
    await t.stable();
    for (const r of t.http.match('/api/v1/metrics/catalog')) r.flush({ metrics: [] });
    t.http.match('/api/v1/devices/only-one').forEach((r) => r.flush(device('only-one', 'One', [])));
    await t.stable();
    expect(t.text('sh-state')).toContain('Choose devices to compare');

    t.fixture.componentRef.setInput('devices', 'x,y');
    await answerDevices([device('x', 'X', []), device('y', 'Y', [])]);
    expect(seriesRequests()).toHaveLength(0);
    expect(t.text('sh-state')).toContain('No readings yet');
  });
});
