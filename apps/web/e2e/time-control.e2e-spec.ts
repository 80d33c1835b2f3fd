// The device page's charts and time control: the min–max band of a negative series, drag-to-zoom kept in the URL,
// shift / zoom out / auto-refresh, a crosshair shared by the panels, per-panel y axis, legend statistics, dates.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { refreshHourlyRollup } from '@sensorhub/domain';

import { chartData, column, dragSelect, login, shot, useStack, waitFor, waitForChart } from './support';

const env = useStack();
const { newPage } = env;
const DAY = 86_400_000;
const DATE_TIME = /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}(:\d{2})?$/;

/**
 * Where a chart's canvas has pixels of a series' colour (read from its legend swatch), per pixel column: opaque for
 * the line, about 16 % opaque for the band (the canvas is transparent; the page's white shows through).
 */
function paint(page: Page, metric: string) {
  return page.evaluate((m) => {
    const panel = document.querySelector(`[data-chart="${m}"]`)!;
    const canvas = panel.querySelector('sh-chart canvas') as HTMLCanvasElement;
    const { width, height } = canvas;
    const px = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    const swatch = getComputedStyle(panel.querySelector('.swatch')!).backgroundColor;
    const c = swatch.match(/\d+/g)!.slice(0, 3).map(Number);
    const isColour = (i: number) => c.every((v, k) => Math.abs(px[i + k] - v) <= 40);
    const cols: { x: number; line: number[]; band: number[] }[] = [];
    let bandPixels = 0;
    let top = Infinity;
    let bottom = -Infinity;
    for (let x = 0; x < width; x++) {
      const line: number[] = [];
      const band: number[] = [];
      for (let y = 0; y < height; y++) {
        const i = (y * width + x) * 4;
        const alpha = px[i + 3];
        if (!isColour(i)) continue;
        if (alpha > 200) line.push(y);
        else if (alpha >= 25 && alpha <= 60) band.push(y);
      }
      bandPixels += band.length;
      for (const y of [...line, ...band]) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
      if (line.length && band.length) cols.push({ x, line, band });
    }
    // the line sits inside the band: the band has pixels above and below the line's middle in that column
    const inside = cols.filter(({ line, band }) => {
      const mid = line[Math.floor(line.length / 2)];
      return band.some((y) => y < mid) && band.some((y) => y > mid);
    }).length;
    return { height, bandPixels, columns: cols.length, inside, extent: bottom - top };
  }, metric);
}

describe('charts and time control', () => {
  it('draws the min–max band of a freezer at −19 °C between its min and max, on an axis fitted to it', async () => {
    const { stack } = env;
    const id = `fz-${Date.now().toString(36)}`;
    await stack.db.query(
      `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online, battery)
       VALUES ($1, 'Freezer 2', 'Cold store', now() - interval '30 days', now(), 'ok', true, 90)`,
      [id],
    );
    await stack.db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT $1, 'temperature', g.ts, -19 + 1.2 * sin(2 * pi() * extract(epoch FROM g.ts) / 86400)
                                       + 0.4 * sin(2 * pi() * extract(epoch FROM g.ts) / 1800)
       FROM generate_series(now() - interval '30 days', now() - interval '1 minute', interval '10 minutes') AS g(ts)`,
      [id],
    );
    await refreshHourlyRollup(stack.db);
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=now-30d`);
    await waitForChart(page, 'temperature');
    await shot(page, '40-freezer-band');

    const data = await chartData(page, 'temperature');
    const avg = column(data, 'Temperature (°C) avg');
    const lo = column(data, 'Temperature (°C) min');
    const hi = column(data, 'Temperature (°C) max');
    assert.ok(avg.length > 50, `${avg.length} buckets`);
    for (let i = 0; i < avg.length; i++) {
      assert.ok(
        lo[i][1] <= avg[i][1] && avg[i][1] <= hi[i][1],
        `bucket ${i}: ${lo[i][1]} ≤ ${avg[i][1]} ≤ ${hi[i][1]}`,
      );
      assert.ok(hi[i][1] < -17 && lo[i][1] > -21, `bucket ${i} near −19 °C`);
    }

    // what is drawn: the band's tint around the line in (nearly) every column, and the curve using the chart's
    // height instead of being squashed by an axis stretched to zero
    const p = await paint(page, 'temperature');
    assert.ok(p.bandPixels > 2000, `band pixels ${p.bandPixels}`);
    assert.ok(p.inside / p.columns > 0.8, `line inside the band in ${p.inside} of ${p.columns} columns`);
    assert.ok(p.extent > p.height * 0.35, `curve spans ${p.extent} of ${p.height} px`);

    // the band can be switched off for this panel
    const panel = page.locator('[data-chart=temperature]');
    await panel.locator('[data-testid=axis-toggle]').click();
    await panel.locator('[data-testid=axis-form] input[name=band]').uncheck();
    await waitForChart(page, 'temperature');
    // (what is left is the line's anti-aliased edge)
    const without = (await paint(page, 'temperature')).bandPixels;
    assert.ok(without < p.bandPixels / 10, `band pixels ${p.bandPixels} → ${without}`);
    // a log scale needs values above 0: offered disabled, and says why
    assert.ok(await panel.locator('input[name=log]').isDisabled());
    await panel.getByText('Log scale needs values above 0.').waitFor();
    await page.context().close();
  });

  it('zooms by dragging across a chart, keeps the zoom in the URL, and a shared URL restores it', async () => {
    const { stack } = env;
    const id = stack.devices[0].id;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=now-7d`);
    await waitForChart(page);
    await dragSelect(page, 'temperature', 0.3, 0.45);
    await page.waitForURL(/zoomFrom=.*zoomTo=/);
    const shared = page.url();
    const q = new URL(shared).searchParams;
    const zoom = { from: Date.parse(q.get('zoomFrom')!), to: Date.parse(q.get('zoomTo')!) };
    assert.ok(zoom.to - zoom.from < 2 * DAY && zoom.to - zoom.from > 0.3 * DAY, JSON.stringify(zoom));
    await waitForChart(page);
    // both panels follow the zoom (they share it), and their tables hold only the window
    for (const m of ['temperature', 'humidity']) {
      const d = await chartData(page, m);
      assert.ok(d.times.length > 20 && d.times.every((t) => t >= zoom.from && t <= zoom.to), m);
    }
    await shot(page, '41-zoom-selected');

    // someone else opens the link: the same window, fetched at its finer resolution
    const other = await newPage();
    const requests: URLSearchParams[] = [];
    other.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/v1/series') requests.push(u.searchParams);
    });
    await login(other, stack.baseUrl, stack.users.viewer, shared.slice(stack.baseUrl.length));
    await waitForChart(other);
    assert.ok(
      requests.some((r) => Date.parse(r.get('from')!) === zoom.from && Date.parse(r.get('to')!) === zoom.to),
      'the zoom window was fetched',
    );
    const note = (await other.locator('.range-note').textContent())!;
    assert.match(note, /zoomed to \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} – /);
    const restored = await chartData(other, 'temperature');
    assert.ok(restored.times.every((t) => t >= zoom.from && t <= zoom.to));
    await shot(other, '42-zoom-restored');

    // zoom out: the window doubles; once it would cover the range, no zoom at all
    await other.click('[data-testid=zoom-out]');
    await other.waitForURL((u) => u.searchParams.get('zoomFrom') !== q.get('zoomFrom'));
    const z2 = new URL(other.url()).searchParams;
    const span2 = Date.parse(z2.get('zoomTo')!) - Date.parse(z2.get('zoomFrom')!);
    assert.ok(Math.abs(span2 - 2 * (zoom.to - zoom.from)) < 60_000, `zoomed out to ${span2 / 3_600_000} h`);
    await other.click('text=Reset zoom');
    await other.waitForURL((u) => !u.searchParams.has('zoomFrom'));
    await other.context().close();
    await page.context().close();
  });

  it('shifts the range half a span back and forward, zooms out, and refreshes itself at the chosen interval', async () => {
    const { stack } = env;
    const id = stack.devices[0].id;
    const page = await newPage();
    const requests: number[] = [];
    page.on('request', (r) => new URL(r.url()).pathname === '/api/v1/series' && requests.push(Date.now()));
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=now-24h&metrics=temperature`);
    await waitForChart(page);
    assert.equal(await page.locator('[data-range="now-24h"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('[data-testid=range-label]').textContent(), 'Last 24 hours');
    assert.ok(await page.locator('[data-testid=shift-forward]').isDisabled(), 'nothing later than now');

    const range = () => {
      const u = new URL(page.url()).searchParams;
      return { from: Date.parse(u.get('from')!), to: Date.parse(u.get('to')!), range: u.get('range') };
    };
    await page.click('[data-testid=shift-back]');
    await page.waitForURL(/from=.*to=/);
    let r = range();
    assert.equal(r.to - r.from, DAY);
    assert.ok(Math.abs(Date.now() - DAY / 2 - r.to) < 120_000, 'half a day back');
    const label = (await page.locator('[data-testid=range-label]').textContent())!;
    const [a, b] = label.split(' – ');
    assert.match(a, DATE_TIME);
    assert.match(b, DATE_TIME);
    await waitForChart(page);
    // a past range's last value is the last in range, not "latest"
    assert.match(
      (await page.locator('[data-chart=temperature] header').textContent())!,
      /last in range -?\d/,
    );

    await page.click('[data-testid=shift-forward]');
    await page.waitForURL((u) => Date.parse(u.searchParams.get('to')!) > r.to);
    r = range();
    assert.ok(Math.abs(Date.now() - r.to) < 120_000, 'back at now, not past it');

    await page.click('[data-testid=zoom-out]');
    await page.waitForURL(
      (u) => Date.parse(u.searchParams.get('to')!) - Date.parse(u.searchParams.get('from')!) > DAY,
    );
    r = range();
    assert.equal(r.to - r.from, 2 * DAY);
    // a relative range stays relative when zoomed out
    await page.click('[data-range="now-6h"]');
    await page.waitForURL(/range=now-6h/);
    await page.click('[data-testid=zoom-out]');
    await page.waitForURL(/range=now-12h/);
    await waitForChart(page);

    // auto-refresh: kept in the URL; every 10 s the range moves on to "now" and is fetched again
    await page.selectOption('[data-testid=refresh]', '10s');
    await page.waitForURL(/refresh=10s/);
    const before = requests.length;
    await waitFor(() => requests.length > before, 15_000, 'a refresh');
    await page.selectOption('[data-testid=refresh]', 'off');
    await page.waitForURL((u) => !u.searchParams.has('refresh'));
    await shot(page, '43-time-picker');
    await page.context().close();
  });

  it('shares the crosshair across panels, gives each its own y axis and its statistics, in one date format', async () => {
    const { stack } = env;
    const id = stack.devices[0].id;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=now-24h`);
    await waitForChart(page);

    // legend statistics of the shown range agree with the chart's own data
    const data = await chartData(page, 'temperature');
    const values = column(data, 'Temperature (°C)').map(([, v]) => v);
    const stats = await page
      .locator('[data-chart=temperature] [data-testid=legend-stats] tbody tr td')
      .allTextContents();
    const [min, max, avg, last] = stats.map(Number);
    assert.equal(min, Math.min(...values));
    assert.equal(max, Math.max(...values));
    assert.ok(Math.abs(avg - values.reduce((s, v) => s + v, 0) / values.length) <= 0.1, `avg ${avg}`);
    assert.equal(last, values.at(-1));
    // the table's times are written as everywhere else
    assert.ok(data.times.length > 0);
    const temperature = page.locator('[data-chart=temperature]');
    await temperature.locator('[data-testid=table-toggle]').click();
    const firstTime = (await temperature
      .locator('[data-testid=chart-table] tbody td')
      .first()
      .textContent())!.trim();
    await shot(page, '46-chart-table');
    await temperature.locator('[data-testid=table-toggle]').click();
    assert.match(firstTime, DATE_TIME);
    await waitForChart(page);

    // hovering one chart shows the crosshair's tooltip on both, for the same time
    const box = (await page.locator('[data-chart=temperature] sh-chart canvas').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    const tips = await waitFor(
      async () => {
        const t = await page.$$eval('[data-chart] sh-chart .tt-time', (els) =>
          els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent!.trim()),
        );
        return t.length === 2 ? t : null;
      },
      5000,
      'a tooltip on both panels',
    );
    assert.equal(tips[0], tips[1]);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 6)
        .map(
          (e) =>
            `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)} ${(e as HTMLElement).style.cssText}`,
        ),
    );
    assert.deepEqual(wide, [], 'the tooltips stay inside the page (no sideways scroll)');
    assert.match(tips[0], DATE_TIME);
    await shot(page, '44-shared-crosshair');
    await page.mouse.move(0, 0);

    // fixed y limits flatten the curve of that panel only
    const before = await paint(page, 'temperature');
    const panel = page.locator('[data-chart=temperature]');
    await panel.locator('[data-testid=axis-toggle]').click();
    await panel.locator('input[name=ymin]').fill('-100');
    await panel.locator('input[name=ymin]').press('Tab');
    await panel.locator('input[name=ymax]').fill('100');
    await panel.locator('input[name=ymax]').press('Tab');
    await waitForChart(page, 'temperature');
    const after = await paint(page, 'temperature');
    assert.ok(after.extent < before.extent * 0.5, `curve ${before.extent} px → ${after.extent} px`);
    // kept in the URL: a reload (as a shared link) draws the same axis
    await page.waitForURL((u) => u.searchParams.get('y') === 'temperature:-100..100');
    await page.reload();
    await waitForChart(page, 'temperature');
    const restored = (await paint(page, 'temperature')).extent;
    assert.ok(restored < before.extent * 0.5, `curve after reload ${restored} px`);
    await panel.locator('[data-testid=axis-toggle]').click();
    assert.equal(await panel.locator('input[name=ymax]').inputValue(), '100');
    // min above max is refused with a message
    await panel.locator('input[name=ymin]').fill('200');
    await panel.locator('input[name=ymin]').press('Tab');
    assert.equal(
      (await panel.locator('[data-testid=axis-form] [role=alert]').textContent())!.trim(),
      'The minimum must be below the maximum.',
    );
    // positive values may use a log scale
    assert.ok(!(await panel.locator('input[name=log]').isDisabled()));
    await shot(page, '45-axis-limits');
    await page.context().close();
  });
});
