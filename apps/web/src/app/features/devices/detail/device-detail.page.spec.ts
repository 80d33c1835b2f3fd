import { LiveReading } from '../../../core/api.types';
import { DeviceDetailPage } from './device-detail.page';
import { HOUR, deviceDetailHarness } from '../../../../testing/device-detail-harness';

describe(DeviceDetailPage.name, () => {
  const h = deviceDetailHarness();
  const {
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
    loadDevice,
    answerReadings,
  } = h;

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
    expect(text('[data-testid=range-label]')).toBe('Last 24 hours');

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
    const req = h.http.expectOne((r) => r.url === '/api/v1/alerts');
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
    h.http.expectOne('/api/v1/metrics/catalog').flush({
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
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { metrics: 'temperature' },
      queryParamsHandling: 'merge',
    });
    el().querySelector<HTMLButtonElement>('[aria-label=Layout] button')!.click();
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { view: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  });

  it('asks for every metric at once, beside the device, and not again when the device answers', async () => {
    setup('viewer');
    await stable();
    // before the device's answer: one request for all its metrics
    const reqs = readingRequests();
    expect(reqs.map((r) => r.request.params.get('series'))).toEqual(['gh-1:*']);
    await loadDevice();
    expect(readingRequests()).toEqual([]);
    await answerReadings(reqs);
    expect(charts().map((c) => c.nativeElement.closest('[data-chart]').getAttribute('data-chart'))).toEqual([
      'humidity',
      'temperature',
    ]);
  });

  it('says so when the device has no readings yet, or when no metric is picked', async () => {
    setup('viewer');
    await loadDevice({ ...device, latest: {} });
    // every metric was asked for before the device answered; it has none
    expect(await answerReadings()).toEqual([]);
    expect(text('sh-state')).toContain('No readings yet');
    expect(readingRequests()).toEqual([]);
  });

  it("offers a quiet device's last day of data instead of empty charts, and opens it", async () => {
    setup('viewer', { range: 'now-1h' });
    const quiet = new Date(now - 3 * HOUR).toISOString();
    await loadDevice({
      ...device,
      online: false,
      lastSeen: quiet,
      latest: { temperature: { value: 20, ts: quiet }, humidity: { value: 40, ts: quiet } },
    });
    for (const r of readingRequests())
      r.flush({
        series: ['humidity', 'temperature'].map((metric) => ({ deviceId: 'gh-1', metric, points: [] })),
      });
    await stable();
    expect(charts()).toHaveLength(0);
    expect(text('[data-testid=last-day-offer]')).toContain('No readings in this range');
    expect(text('[data-testid=last-day-offer]')).toContain('Its last reading came on');
    // an offline device's range is not "live"
    expect(el().querySelector('[data-testid=live-tag]')).toBeNull();
    el().querySelector<HTMLButtonElement>('[data-testid=last-day-offer] button')!.click();
    const to = Math.floor((now - 3 * HOUR) / 60_000) * 60_000 + 60_000;
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: {
        range: null,
        from: new Date(to - 24 * HOUR).toISOString(),
        to: new Date(to).toISOString(),
        zoomFrom: null,
        zoomTo: null,
      },
      queryParamsHandling: 'merge',
      replaceUrl: false,
    });
    await stable();
    await answerReadings();
    expect(charts()).toHaveLength(2);
    expect(el().querySelector('[data-testid=last-day-offer]')).toBeNull();
  });

  it('on a wall screen (kiosk=1) shows no way back, no editing and no commands, and refreshes every minute', async () => {
    setup('operator', { kiosk: '1' });
    await loadDevice();
    await answerReadings();
    expect(charts()).toHaveLength(2);
    expect(el().querySelector('a.back')).toBeNull();
    expect(el().querySelector('[data-testid=edit-device]')).toBeNull();
    expect(el().querySelector('sh-device-command')).toBeNull();
    expect(el().querySelector<HTMLSelectElement>('[data-testid=refresh]')!.value).toBe('1m');
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
    h.http
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
    el().querySelector<HTMLButtonElement>('[data-range="now-7d"]')!.click();
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { range: 'now-7d', from: null, to: null, zoomFrom: null, zoomTo: null },
      queryParamsHandling: 'merge',
      replaceUrl: false,
    });
    await stable();
    const week = readingRequests();
    const span = (r: (typeof week)[number]) =>
      Date.parse(r.request.params.get('to')!) - Date.parse(r.request.params.get('from')!);
    // one request for all metrics
    expect(week.map(span)).toEqual([7 * 24 * HOUR]);
    await answerReadings(week);
    expect(text('[data-testid=range-label]')).toBe('Last 7 days');

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
    set('to', '');
    form.dispatchEvent(new Event('submit'));
    await stable();
    expect(text('[data-testid=custom-range] .err')).toBe('Enter both "From" and "To".');
    set('to', '2026-01-03T00:00');
    form.dispatchEvent(new Event('submit'));
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: {
        range: null,
        from: new Date('2026-01-02T00:00').toISOString(),
        to: new Date('2026-01-03T00:00').toISOString(),
        zoomFrom: null,
        zoomTo: null,
      },
      queryParamsHandling: 'merge',
      replaceUrl: false,
    });
    await stable();
    const custom = readingRequests();
    expect(custom.map((r) => r.request.params.get('from'))).toEqual([
      new Date('2026-01-02T00:00').toISOString(),
    ]);
    await answerReadings(custom);
    // a past range: its last value is the last in range, not the latest
    expect(text('[data-chart=temperature] header span')).toContain('last in range 21');
  });

  it('shows a custom range from the URL by its dates, without live points', async () => {
    setup('viewer', { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
    await loadDevice();
    const reqs = readingRequests();
    expect(reqs[0].request.params.get('from')).toBe('2026-01-01T00:00:00.000Z');
    await answerReadings(reqs);
    expect(text('[data-testid=range-label]')).toContain('–');
    h.live!.readings!([{ deviceId: 'gh-1', metric: 'temperature', ts: new Date().toISOString(), value: 30 }]);
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
    h.live!.readings!(batch);
    await stable();
    expect(line(1, 'temperature')).toEqual([20, 21, 23]);
    expect(text('[data-chart=temperature] header')).toContain('latest 23');

    // a metric the device starts sending gets its own chart
    h.live!.readings!([{ deviceId: 'gh-1', metric: 'co2', ts, value: 415 }]);
    await stable();
    // every metric again (the api lists them in its collation's order), drawn in name order as a reload shows them
    const reqs = readingRequests();
    expect(reqs.map((r) => r.request.params.get('series'))).toEqual(['gh-1:*']);
    await answerReadings(reqs, ['humidity', 'temperature', 'co2']);
    expect(charts().map((c) => c.nativeElement.closest('[data-chart]').getAttribute('data-chart'))).toEqual([
      'co2',
      'humidity',
      'temperature',
    ]);
  });
});
