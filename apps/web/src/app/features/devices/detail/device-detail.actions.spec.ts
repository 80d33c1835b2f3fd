import { DeviceDetailPage } from './device-detail.page';
import { HOUR, deviceDetailHarness } from '../../../../testing/device-detail-harness';

describe(`${DeviceDetailPage.name} (zoom, CSV export, editing)`, () => {
  const h = deviceDetailHarness();
  const { now, device, setup, el, text, stable, readingRequests, line, loadDevice, answerReadings } = h;

  it('loads the zoomed window at a finer resolution, and goes back on reset', async () => {
    setup('viewer', { metrics: 'temperature' });
    await loadDevice();
    await answerReadings();
    const z = { start: now - 2 * HOUR + 1, end: now - HOUR - 1 };
    await vi.waitFor(() => expect(h.echarts).toHaveLength(1));
    h.echarts[0].zoom({ start: 20, end: 60, startValue: z.start, endValue: z.end });
    await new Promise((r) => setTimeout(r, 300)); // the chart reports a zoom once the slider rests (250 ms)
    await stable();
    // the zoom is kept in the URL (a shared link restores it)
    expect(h.navigate).toHaveBeenLastCalledWith([], {
      queryParams: { zoomFrom: new Date(z.start).toISOString(), zoomTo: new Date(z.end).toISOString() },
      queryParamsHandling: 'merge',
      replaceUrl: false,
    });
    const [fine] = readingRequests();
    expect(Date.parse(fine.request.params.get('from')!)).toBe(z.start);
    const raw = (t: number, value: number) => ({
      ts: new Date(t).toISOString(),
      min: value,
      avg: value,
      max: value,
      count: 1,
    });
    expect(fine.request.params.get('series')).toBe('gh-1:temperature');
    const points = [raw(z.start + 1000, 19), raw(z.start + 2000, 19.5)];
    fine.flush({ series: [{ deviceId: 'gh-1', metric: 'temperature', bucketSeconds: null, points }] });
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
    h.echarts[0].zoom({ start: 0, end: 100, startValue: z.start, endValue: z.end });
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
    h.http
      .expectOne((r) => r.url === '/api/v1/devices/gh-1/readings/export')
      .flush('device_id,metric,ts,value\n');
    await vi.waitFor(() => expect(clicks).toHaveLength(1));
    // local times, as the page shows them
    const local = (iso: string) => {
      const d = new Date(iso);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}`;
    };
    expect(clicks[0].download).toBe(
      `gh-1_${local('2026-01-01T00:00:00.000Z')}_${local('2026-01-02T00:00:00.000Z')}.csv`,
    );

    el().querySelector<HTMLButtonElement>('[data-testid=export-csv]')!.click();
    await stable();
    h.http
      .expectOne((r) => r.url === '/api/v1/devices/gh-1/readings/export')
      .flush('no', { status: 500, statusText: 'Server Error' });
    await vi.waitFor(() =>
      expect(text('.alert.error')).toBe(
        'Export failed: The server had a problem (HTTP 500) — try again in a moment.',
      ),
    );
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
    const patch = h.http.expectOne('/api/v1/devices/gh-1');
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
    h.http
      .expectOne('/api/v1/devices/gh-1')
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'name is too long' },
        { status: 400, statusText: '' },
      );
    await vi.waitFor(() => expect(text('[data-testid=edit-form] .alert.error')).toBe('name is too long'));
  });
});
