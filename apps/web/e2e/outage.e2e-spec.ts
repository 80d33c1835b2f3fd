// The api stops mid-session and comes back: the page says so in sentences, marks what it shows as stale, and recovers
// by itself. Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, shot, useStack, waitFor } from './support';

const env = useStack();

describe('an api outage', () => {
  it('turns "Live" and the cards stale with a readable notice, and recovers without a click when the api is back', async () => {
    const { stack } = env;
    const page = await env.newPage();
    await login(page, stack.baseUrl, stack.users.viewer);
    const card = page.locator(`[data-device="${stack.devices[0].id}"]`);
    await card.waitFor();
    await page.waitForSelector('[data-testid=live].open');
    assert.equal((await card.locator('[data-testid=status]').textContent())!.trim(), 'Online');

    const detail = await page.context().newPage();
    await detail.goto(page.url());
    await detail.waitForSelector(`[data-device="${stack.devices[1].id}"]`);
    await stack.stopApi();
    await page.waitForSelector('[data-testid=live].lost', { timeout: 20_000 });
    assert.match((await page.textContent('[data-testid=live]'))!, /No connection/);
    const notice = (await page.textContent('[data-testid=connection-lost]'))!;
    assert.match(
      notice,
      /No connection to the server since \d\d:\d\d:\d\d\. What you see may be out of date/,
    );
    assert.equal((await card.locator('[data-testid=status]').textContent())!.trim(), 'Unknown');
    assert.match((await card.locator('[data-testid=last-seen]').textContent())!, /last known: /);
    assert.ok(await card.locator('li.stale').count(), 'values marked stale');

    await shot(page, '41-outage-overview-stale');

    // a page that needs the api meanwhile says why in a sentence
    await page.click(`[data-device="${stack.devices[1].id}"]`);
    const error = page.locator('sh-state[kind=error]');
    await error.waitFor({ timeout: 20_000 });
    const text = (await error.textContent())!;
    assert.match(text, /The server cannot be reached/);
    assert.doesNotMatch(text, /object Object|Failed to fetch/);
    await shot(page, '42-outage-detail');
    // a second tab (opened before the outage) goes to that device page too and stays there through the recovery
    await detail.click(`[data-device="${stack.devices[1].id}"]`);
    await detail.waitForSelector('sh-state[kind=error]', { timeout: 20_000 });
    // back on the overview, which cannot load either: it will retry by itself
    await page.goBack();
    await page.waitForSelector('sh-state[kind=error]');
    assert.match((await page.textContent('sh-state[kind=error]'))!, /Devices could not be loaded/);

    const back = Date.now();
    await stack.startApi();
    await page.waitForSelector('[data-testid=live].open', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=connection-lost]', { state: 'detached', timeout: 5000 });
    await waitFor(
      async () => (await card.locator('[data-testid=status]').textContent())!.trim() === 'Online',
      10_000,
      'the card online again',
    );
    console.log(`outage: live again ${Date.now() - back} ms after the api answered health`);
    // the device page loads by itself too, no "Try again"
    await detail.waitForSelector('[data-testid=device-name]', { timeout: 15_000 });
    assert.equal((await detail.textContent('[data-testid=device-name]'))!.trim(), 'Weather station');
    // the live stream works again: a new reading reaches the card
    await stack.publish(`devices/${stack.devices[0].id}/temperature`, { value: 12.25 });
    await waitFor(
      async () => /12\.3 °C/.test((await card.locator('li[data-metric=temperature]').textContent()) ?? ''),
      15_000,
      'a live reading after the outage',
    );
    await shot(page, '43-outage-recovered');
    await page.context().close();
  });
});
