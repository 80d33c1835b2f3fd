// Compare: devices ticked on the overview, one metric of each on one chart, from one request, kept in the URL.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { refreshHourlyRollup } from '@sensorhub/domain';

import { login, shot, useStack, waitFor } from './support';

const env = useStack();

describe('compare', () => {
  const cold = { id: `cold-${process.pid}`, name: 'Cold room' };

  beforeAll(async () => {
    const { db } = env.stack;
    // a third device: a freezer room around −19 °C, temperature only, 7 days of 5-minute readings
    await db.query(
      `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online, battery)
       VALUES ($1, $2, 'Basement', now() - interval '7 days', now() - interval '1 minute', 'ok', true, 90)`,
      [cold.id, cold.name],
    );
    await db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT $1, 'temperature', g, -19 + sin(extract(epoch FROM g) / 7200)
       FROM generate_series(now() - interval '7 days', now() - interval '1 minute', interval '5 minutes') g`,
      [cold.id],
    );
    await refreshHourlyRollup(db);
  });

  it('charts three devices ticked on the overview on one chart from one request, and restores it from the URL', async () => {
    const { stack } = env;
    const [gh, ws] = stack.devices;
    const page = await env.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/v1/series') || u.pathname.includes('/readings'))
        requests.push(u.pathname);
    });
    await login(page, stack.baseUrl, stack.users.viewer);
    for (const id of [gh.id, ws.id, cold.id]) await page.check(`[data-pick="${id}"]`);
    // the comparison's own requests (the overview reads series too: the day of data of a card gone quiet)
    requests.length = 0;
    await page.click('[data-testid=compare-link]');
    await page.waitForURL(/\/devices\/compare\?/);
    assert.deepEqual(new URL(page.url()).searchParams.get('devices')!.split(','), [gh.id, ws.id, cold.id]);

    const legend = page.locator('[data-testid=compare-legend] tbody tr');
    await waitFor(async () => (await legend.count()) === 3, 20_000, 'three devices in the legend');
    assert.equal(await page.locator('sh-chart').count(), 1);
    await page.locator('sh-chart canvas').first().waitFor();
    assert.match((await page.textContent('h1'))!, /Compare Temperature/);
    const rows = await legend.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())),
    );
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['Greenhouse north', 'Weather station', 'Cold room'],
    );
    // the cold room's minimum and maximum are its own, below zero
    const [, min, max] = rows[2];
    assert.ok(parseFloat(min) < -19.5 && parseFloat(max) < -17.5, `cold room min ${min}, max ${max}`);
    assert.deepEqual(requests, ['/api/v1/series']);
    await shot(page, '40-compare-three');

    // another metric and range: both in the URL, which restores the same view
    await page.selectOption('[data-testid=compare-metric]', 'humidity');
    await page.click('[data-range="now-7d"]');
    await waitFor(
      () => /metric=humidity/.test(page.url()) && /range=now-7d/.test(page.url()),
      5000,
      'metric and range in the URL',
    );
    const shared = page.url();
    const other = await env.newPage();
    await login(other, stack.baseUrl, stack.users.viewer, new URL(shared).pathname + new URL(shared).search);
    await other.waitForURL(shared);
    await waitFor(
      async () => /humidity/i.test((await other.textContent('h1'))!),
      20_000,
      'the humidity comparison',
    );
    const coldRow = other.locator(`[data-testid=compare-legend] tr[data-device="${cold.id}"]`);
    await waitFor(
      async () => /no readings in this range/.test((await coldRow.textContent()) ?? ''),
      20_000,
      'the cold room without humidity',
    );
    assert.equal(await other.locator('[data-range="now-7d"]').getAttribute('aria-pressed'), 'true');
    await shot(other, '41-compare-shared-url');
    await other.context().close();
    await page.context().close();
  });

  it('asks for two or more devices when the URL names fewer', async () => {
    const { stack } = env;
    const page = await env.newPage();
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/compare?devices=${stack.devices[0].id}`);
    await page.waitForSelector('text=Choose devices to compare');
    await shot(page, '42-compare-too-few');
    await page.context().close();
  });
});
