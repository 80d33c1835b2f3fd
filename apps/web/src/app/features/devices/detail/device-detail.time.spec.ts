import { DeviceDetailPage } from './device-detail.page';
import { HOUR, deviceDetailHarness } from '../../../../testing/device-detail-harness';

describe(`${DeviceDetailPage.name} (time picker)`, () => {
  const h = deviceDetailHarness();
  const { now, el, text, stable, readingRequests, loadDevice, answerReadings } = h;
  const click = async (sel: string) => {
    el().querySelector<HTMLButtonElement>(sel)!.click();
    await stable();
  };
  const lastQuery = () => (h.navigate.mock.lastCall![1]!.queryParams ?? {}) as Record<string, string | null>;
  const span = (q: Record<string, string | null>, a = 'from', b = 'to') =>
    Date.parse(q[b]!) - Date.parse(q[a]!);

  afterEach(() => vi.useRealTimers());

  it('shifts the range half a span back and forward, never past now', async () => {
    h.setup('viewer', { range: 'now-24h', metrics: 'temperature' });
    await loadDevice();
    await answerReadings();
    expect(el().querySelector<HTMLButtonElement>('[data-testid=shift-forward]')!.disabled).toBe(true);
    await click('[data-testid=shift-back]');
    const back = lastQuery();
    expect(back['range']).toBeNull();
    expect(span(back)).toBe(24 * HOUR);
    expect(Math.abs(Date.parse(back['to']!) - (Date.now() - 12 * HOUR))).toBeLessThan(5000);
    await answerReadings();
    expect(text('[data-testid=range-label]')).toMatch(
      /^\d{1,2} \w{3} \d{4}, \d\d:\d\d – \d{1,2} \w{3} \d{4}, \d\d:\d\d$/,
    );

    await click('[data-testid=shift-forward]');
    expect(Math.abs(Date.parse(lastQuery()['to']!) - Date.now())).toBeLessThan(5000);
    await answerReadings();
  });

  it('zooms out of a zoom first, to no zoom once it covers the range, then doubles the range', async () => {
    const iso = (t: number) => new Date(t).toISOString();
    h.setup('viewer', {
      range: 'now-24h',
      metrics: 'temperature',
      zoomFrom: iso(now - 4 * HOUR),
      zoomTo: iso(now - 2 * HOUR),
    });
    await loadDevice();
    // the range and, from the URL, the zoomed window at finer resolution
    const reqs = readingRequests();
    expect(reqs.map((r) => r.request.params.get('from'))).toContain(iso(now - 4 * HOUR));
    await answerReadings(reqs);
    expect(text('.range-note')).toContain('zoomed to');

    await click('[data-testid=zoom-out]');
    expect(span(lastQuery(), 'zoomFrom', 'zoomTo')).toBe(4 * HOUR);
    await answerReadings();
    h.fixture.componentRef.setInput('zoomFrom', iso(now - 23 * HOUR));
    h.fixture.componentRef.setInput('zoomTo', iso(now - HOUR));
    await stable();
    await answerReadings();
    await click('[data-testid=zoom-out]');
    expect(lastQuery()).toEqual({ zoomFrom: null, zoomTo: null });
    await stable();
    expect(text('.range-note')).not.toContain('zoomed to');

    await click('[data-testid=zoom-out]');
    expect(lastQuery()['range']).toBe('now-2d');
    await answerReadings();
    expect(text('[data-testid=range-label]')).toBe('Last 2 days');
  });

  it('refreshes at the chosen interval, kept in the URL: a relative range moves on to now', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    h.setup('viewer', { metrics: 'temperature' });
    await loadDevice();
    await answerReadings();
    const select = el().querySelector<HTMLSelectElement>('[data-testid=refresh]')!;
    expect(select.value).toBe('off');
    select.value = '10s';
    select.dispatchEvent(new Event('change'));
    await stable();
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { refresh: '10s' },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
    expect(readingRequests()).toEqual([]);
    vi.advanceTimersByTime(10_000);
    await stable();
    const [again] = readingRequests();
    expect(Date.parse(again.request.params.get('to')!)).toBeGreaterThanOrEqual(now);
    await answerReadings([again]);

    select.value = 'off';
    select.dispatchEvent(new Event('change'));
    await stable();
    vi.advanceTimersByTime(60_000);
    await stable();
    expect(readingRequests()).toEqual([]);
  });

  it('reloads an absolute range at the refresh interval (late data may arrive)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    h.setup('viewer', {
      metrics: 'temperature',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
      refresh: '1m',
    });
    await loadDevice();
    await answerReadings();
    vi.advanceTimersByTime(60_000);
    await stable();
    const [again] = readingRequests();
    expect(again.request.params.get('from')).toBe('2026-01-01T00:00:00.000Z');
    await answerReadings([again]);
  });

  it("keeps each chart's y limits, log scale and band in the URL, and opens a link with them", async () => {
    h.setup('viewer', { range: 'now-24h', metrics: 'temperature', y: 'temperature:-30..0:noband' });
    await loadDevice();
    await answerReadings();
    const yAxis = () => (h.echarts.at(-1)!.getOption()['yAxis'] as { min?: number; max?: number }[])[0];
    expect(yAxis()).toMatchObject({ min: -30, max: 0 });
    expect(h.drawn().map((x) => x.id)).toEqual(['temperature']);

    await click('[data-testid=axis-toggle]');
    const max = el().querySelector<HTMLInputElement>('[data-testid=axis-form] input[name=ymax]')!;
    expect(max.value).toBe('0');
    max.value = '5';
    max.dispatchEvent(new Event('change'));
    await stable();
    expect(lastQuery()).toEqual({ y: 'temperature:-30..5:noband' });
  });
});
