// Sessions of a page left open: a 30 s access token renews about every 20 s without tripping the throttle, and the
// refresh cookie slides, so the page stays signed in past REFRESH_TTL. Against a real stack in Chromium.
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { login, shot, useStack } from './support';

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
    await page.waitForTimeout(70_000);
    assert.ok(kioskLists.length >= 1 && kioskLists.every((s) => s === 200), `kiosk re-reads: ${kioskLists}`);
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
