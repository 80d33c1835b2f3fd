// Sessions of a page left open: a 30 s access token renews about every 20 s without tripping the throttle, and the
// refresh cookie slides, so the page stays signed in past REFRESH_TTL. Against a real stack in Chromium.
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { login, shot, useStack, waitForChart } from './support';

const env = useStack({ apiEnv: { JWT_TTL: '30s', REFRESH_TTL: '40s', THROTTLE_LIMIT: '300' } });

interface Renewal {
  at: number;
  status: number;
}

/** Every POST /auth/refresh the page makes, with its answer. */
function renewals(page: Page): Renewal[] {
  const seen: Renewal[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/auth/refresh')) seen.push({ at: Date.now(), status: r.status() });
  });
  return seen;
}

const statusesOf = (page: Page) => {
  const statuses: number[] = [];
  page.on('response', (r) => r.url().includes('/api/v1/') && statuses.push(r.status()));
  return statuses;
};

describe('sessions of an open page', () => {
  it('renews a 30 s token about every 20 s, never answered 429; it and a kiosk screen stay signed in past REFRESH_TTL (40 s)', async () => {
    const { stack } = env;
    const page = await env.newPage();
    const statuses = statusesOf(page);
    await login(page, stack.baseUrl, stack.users.viewer);
    const seen = renewals(page); // from the sign-in on (the guard's try before it is a 401: no session yet)
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    const start = Date.now();
    // a wall screen beside it, the same 70 s: no top bar, the fleet re-read every minute, still signed in after
    const kiosk = await env.newPage();
    await login(kiosk, stack.baseUrl, stack.users.viewer, '/devices?kiosk=1');
    await kiosk.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    assert.equal(await kiosk.locator('header.topbar').count(), 0);
    const kioskLists: number[] = [];
    kiosk.on(
      'response',
      (r) => new URL(r.url()).pathname === '/api/v1/devices' && kioskLists.push(r.status()),
    );
    // and a device page and a comparison as wall screens: no chrome, their series read again every minute
    const [gh, ws] = stack.devices.map((d) => d.id);
    const walls: { page: Page; series: number[]; name: string }[] = [];
    for (const [name, path] of [
      ['51-kiosk-device', `/devices/${gh}?kiosk=1&range=now-6h`],
      ['52-kiosk-compare', `/devices/compare?devices=${gh},${ws}&metric=temperature&range=now-24h&kiosk=1`],
    ]) {
      const wall = await env.newPage();
      const series: number[] = [];
      wall.on('response', (r) => new URL(r.url()).pathname === '/api/v1/series' && series.push(r.status()));
      await login(wall, stack.baseUrl, stack.users.viewer, path);
      await waitForChart(wall);
      assert.equal(await wall.locator('header.topbar').count(), 0, `${name}: no top bar`);
      assert.equal(await wall.locator('a.back').count(), 0, `${name}: no way back`);
      walls.push({ page: wall, series, name });
    }
    await page.waitForTimeout(70_000);
    assert.ok(kioskLists.length >= 1 && kioskLists.every((s) => s === 200), `kiosk re-reads: ${kioskLists}`);
    for (const w of walls) {
      // the lines are drawn: the canvas holds pixels of the first series' colour (its legend swatch)
      const inked = await w.page.evaluate(() => {
        const swatch = document.querySelector('.swatch, [data-chart] .swatch');
        const c = getComputedStyle(swatch!).backgroundColor.match(/\d+/g)!.map(Number);
        const canvas = document.querySelector('sh-chart canvas') as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4)
          if (
            px[i + 3] > 200 &&
            Math.abs(px[i] - c[0]) + Math.abs(px[i + 1] - c[1]) + Math.abs(px[i + 2] - c[2]) < 40
          )
            n++;
        return n;
      });
      assert.ok(inked > 100, `${w.name}: ${inked} pixels of the first line`);
      assert.ok(w.series.length >= 2 && w.series.every((s) => s === 200), `${w.name} reads: ${w.series}`);
      assert.ok(!new URL(w.page.url()).pathname.startsWith('/login'), w.page.url());
      await waitForChart(w.page);
      await shot(w.page, w.name);
      await w.page.context().close();
    }
    assert.ok(!new URL(kiosk.url()).pathname.startsWith('/login'), kiosk.url());
    await kiosk.reload();
    await kiosk.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    await shot(kiosk, '45-kiosk-after-70s');
    await kiosk.context().close();

    assert.ok(seen.length >= 3 && seen.length <= 4, `${seen.length} renewals in 70 s`);
    assert.ok(
      seen.every((r) => r.status === 200),
      `renewals answered ${seen.map((r) => r.status)}`,
    );
    const gaps = seen.slice(1).map((r, i) => r.at - seen[i].at);
    assert.ok(
      gaps.every((g) => g > 17_000 && g < 23_000),
      `gaps between renewals: ${gaps.join(', ')} ms`,
    );
    assert.ok(seen[0].at - start < 23_000, 'the first renewal came about 20 s after sign-in');
    assert.ok(!statuses.includes(429), `a request was throttled: ${statuses.join(',')}`);
    // past REFRESH_TTL after the login, still signed in and served
    assert.ok(!new URL(page.url()).pathname.startsWith('/login'), page.url());
    await page.reload();
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    await shot(page, '40-session-after-70s');
    await page.context().close();
  }, 150_000);
});
