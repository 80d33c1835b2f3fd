// The devices overview: live readings over MQTT on the cards, a fleet of 10,000 devices.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, shot, useStack, waitFor } from './support';

const env = useStack();
const { newPage } = env;

describe('devices overview', () => {
  it('shows a reading published over MQTT on the overview without a reload', async () => {
    const { stack } = env;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer);
    const id = stack.devices[0].id;
    const value = page.locator(
      `[data-device="${id}"] li[data-metric=temperature] [data-testid=metric-value]`,
    );
    await value.waitFor();
    await waitFor(
      () => page.evaluate(() => document.querySelector('.live.open') !== null),
      10_000,
      'live stream open',
    );
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    await stack.publish(`devices/${id}/temperature`, { value: 31.75, ts: new Date().toISOString() });
    await waitFor(
      async () => (await value.textContent())!.trim() === '31.8 °C',
      15_000,
      "the published value on the card, at the catalog's decimals and with its unit",
    );
    assert.equal(
      (await page
        .locator(`[data-device="${id}"] li[data-metric=temperature] .metric-name`)
        .textContent())!.trim(),
      'Temperature',
    );
    assert.equal(navigations, 0);
    // the page's clock ticks once a second: a reading that arrives within the tick reads "just now"
    assert.match(
      (await page.locator(`[data-device="${id}"] [data-testid=last-seen]`).textContent())!,
      /just now|\d+ s ago/,
    );
    await waitFor(
      () => page.locator(`[data-device="${id}"] sh-sparkline path`).count(),
      10_000,
      'sparklines',
    );
    // the Weather station went quiet 3 h ago: its card draws its last day of data, not empty lines
    await waitFor(
      () => page.locator(`[data-device="${stack.devices[1].id}"] sh-sparkline path`).count(),
      10_000,
      "the offline device's last day in its sparklines",
    );
    await shot(page, '06-overview-live');
    await page.context().close();
  });

  it('keeps the overview working with a fleet of 10,000 devices: one page, server search, paging', async () => {
    const { stack } = env;
    await stack.db.query(
      `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online)
       SELECT 'fleet-' || lpad(i::text, 5, '0'), 'Fleet ' || lpad(i::text, 5, '0'), 'Hall ' || (i % 40), now(), now(), 'ok', i % 7 <> 0
       FROM generate_series(1, 10000) i`,
    );
    const page = await newPage();
    const listRequests: URL[] = [];
    page.on(
      'request',
      (r) => new URL(r.url()).pathname === '/api/v1/devices' && listRequests.push(new URL(r.url())),
    );
    const started = Date.now();
    await login(page, stack.baseUrl, stack.users.viewer);
    await page.waitForSelector('[data-testid=pager]');
    const shownIn = Date.now() - started;
    // the seeded devices, the 10,000 and those earlier tests created by publishing
    const total = Number((await stack.db.query('SELECT count(*) AS n FROM devices')).rows[0].n);
    assert.ok(total > 10_000);
    assert.match((await page.textContent('[data-testid=device-count]'))!, new RegExp(`${total} total`));
    const cards = await page.locator('[data-device]').count();
    assert.ok(cards <= 120, `${cards} cards rendered`);
    assert.match(
      (await page.textContent('[data-testid=page-range]'))!,
      new RegExp(`^\\s*1–${cards} of ${total}\\s*$`),
    );
    assert.equal(listRequests.at(-1)!.searchParams.get('limit'), '120');

    await page.click('[data-testid=next-page]');
    await page.waitForFunction(() =>
      /^\s*121–/.test(document.querySelector('[data-testid=page-range]')!.textContent!),
    );
    assert.equal(listRequests.at(-1)!.searchParams.get('offset'), '120');

    await page.fill('[data-testid=search]', 'Fleet 09876');
    await page.waitForSelector('[data-device="fleet-09876"]');
    assert.equal(await page.locator('[data-device]').count(), 1);
    assert.equal(listRequests.at(-1)!.searchParams.get('q'), 'Fleet 09876');
    assert.equal(listRequests.at(-1)!.searchParams.get('offset'), '0');
    await shot(page, '31-fleet-10000-search');
    console.log(`10,000-device fleet: first page shown ${shownIn} ms after login started`);
    await page.context().close();
  });

  it('lists trouble first over the whole fleet, and keeps the table view and its order in the URL', async () => {
    const { stack } = env;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer, '/devices');
    await page.waitForSelector('[data-device]');
    // of 10,000+ devices the offline ones come first (the server orders the whole fleet, not the page)
    const firstStatuses = await page.$$eval('[data-device] [data-testid=status]', (els) =>
      els.slice(0, 5).map((e) => e.textContent!.trim()),
    );
    assert.deepEqual(firstStatuses, ['Offline', 'Offline', 'Offline', 'Offline', 'Offline']);

    await page.click('[data-testid=view-table]');
    await page.waitForSelector('[data-testid=device-table] tbody tr');
    assert.equal(new URL(page.url()).searchParams.get('view'), 'table');
    await page.click('button[data-sort=battery]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'battery');
    // the seeded Weather station (14 %) has the lowest battery of all
    await waitFor(
      async () =>
        (await page.textContent('[data-testid=device-table] tbody tr:first-child .dev a'))!.trim() ===
        'Weather station',
      10_000,
      'lowest battery first',
    );
    await page.reload();
    await page.waitForSelector('[data-testid=device-table] tbody tr');
    assert.match((await page.textContent('th[aria-sort=ascending]'))!, /Battery/);
    assert.match((await page.textContent('[data-testid=device-table] tbody tr:first-child'))!, /14% low/);
    await shot(page, '44-fleet-table');
    // every header alike; a fresh value upright, an old one (the Weather station's, 3 h) muted with its age in italics
    const headers = await page.$$eval('[data-testid=device-table] thead th', (ths) =>
      ths.map((th) => {
        const label = th.querySelector('button') ?? th;
        const s = getComputedStyle(label);
        return `${s.textTransform} ${s.fontSize} ${s.fontWeight} ${s.letterSpacing}`;
      }),
    );
    assert.equal(new Set(headers).size, 1, headers.join(' / '));
    await page.fill('[data-testid=search]', 'Greenhouse north');
    await page.waitForSelector(`[data-row="${stack.devices[0].id}"]`);
    const style = (sel: string) => page.$eval(sel, (e) => getComputedStyle(e).fontStyle);
    const fresh = `[data-row="${stack.devices[0].id}"] li[data-metric=temperature]`;
    assert.equal(await style(`${fresh} strong`), 'normal');
    assert.equal(await style(`${fresh} .muted`), 'normal');
    await page.fill('[data-testid=search]', 'Weather station');
    const old = `[data-row="${stack.devices[1].id}"] li[data-metric=temperature]`;
    await page.waitForSelector(old);
    assert.equal(await style(`${old} strong`), 'normal');
    assert.equal(await style(`${old} .age`), 'italic');
    await page.context().close();
  });
});
