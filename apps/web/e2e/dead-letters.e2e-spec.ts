// Dead letters: refused MQTT messages listed with their reason, filtered, replayed.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, PHONE, shot, useStack, waitFor } from './support';

const env = useStack();
const { newPage } = env;

describe('dead letters', () => {
  it('lists dead letters sent over MQTT with their reason, filters by reason, and replays one that is valid now', async () => {
    const { stack } = env;
    const dev = `dl-${Date.now().toString(36)}`;
    await stack.publish(`devices/${dev}/temperature`, 'warm');
    await stack.publish(`devices/${dev}/humidity`, '{"value": 41,');
    await stack.publish(`devices/${dev}/pressure`, '{"value": 1013}\n\u001b[2J');
    await waitFor(
      async () =>
        Number(
          (
            await stack.db.query(`SELECT count(*) AS n FROM dead_letters WHERE topic LIKE $1`, [
              `devices/${dev}/%`,
            ])
          ).rows[0].n,
        ) === 3,
      10_000,
      'three dead letters',
    );

    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.operator);
    await page.click('nav[aria-label=Main] a[data-nav="/dead-letters"]');
    await page.waitForURL(/\/dead-letters$/);
    await page.fill('[data-testid=filter-device]', dev);
    await waitFor(
      async () => (await page.locator('tr[data-dead-letter]').count()) === 3,
      10_000,
      'three rows',
    );
    const row = (topic: string) => page.locator('tr[data-dead-letter]', { hasText: topic });
    assert.equal(
      (await row(`devices/${dev}/temperature`).locator('[data-testid=reason]').textContent())!,
      'INVALID_VALUE',
    );
    assert.equal(
      (await row(`devices/${dev}/humidity`).locator('[data-testid=reason]').textContent())!,
      'INVALID_JSON',
    );
    // a terminal escape is not rendered as text: the payload is shown as base64
    assert.match((await row(`devices/${dev}/pressure`).textContent())!, /base64/);
    const chips = await page.$$eval('[data-testid=reason-counts] [data-reason]', (bs) =>
      bs.map((b) => `${b.getAttribute('data-reason')} ${b.querySelector('.count')!.textContent!.trim()}`),
    );
    assert.deepEqual(chips.sort(), ['INVALID_JSON 2', 'INVALID_VALUE 1']);
    await shot(page, '32-dead-letters');

    await page.click('[data-testid=reason-counts] [data-reason=INVALID_JSON]');
    await waitFor(async () => (await page.locator('tr[data-dead-letter]').count()) === 2, 10_000, 'filtered');
    assert.equal(await page.locator('tr[data-dead-letter]', { hasText: 'INVALID_VALUE' }).count(), 0);
    assert.equal(
      await page.getAttribute('[data-testid=reason-counts] [data-reason=INVALID_JSON]', 'aria-pressed'),
      'true',
    );
    await shot(page, '33-dead-letters-by-reason');

    // refused earlier (say, a sensor clock ahead), valid by today's rules: replay it from the page
    const ts = new Date(Date.now() - 60_000).toISOString();
    await stack.db.query(
      `INSERT INTO dead_letters (topic, payload, payload_size, reason, detail, received_at)
       VALUES ($1, $2, $3, 'TIMESTAMP_OUT_OF_RANGE', 'ts is ahead of the accepted window', now())`,
      [
        `devices/${dev}/temperature`,
        Buffer.from(JSON.stringify({ value: 19.5, ts })),
        JSON.stringify({ value: 19.5, ts }).length,
      ],
    );
    await page.click('[data-testid=refresh]');
    await page.click('[data-testid=reason-counts] [data-reason=TIMESTAMP_OUT_OF_RANGE]');
    await waitFor(
      async () => (await page.locator('tr[data-dead-letter]').count()) === 1,
      10_000,
      'the stale one',
    );
    await page.click('tr[data-dead-letter] [data-testid=replay]');
    await page.click('tr[data-dead-letter] button:has-text("Replay now")');
    await page.waitForSelector('[data-testid=notice]');
    assert.match(
      (await page.textContent('[data-testid=notice]'))!,
      new RegExp(`Replayed to devices/${dev}/temperature`),
    );
    const stored = await waitFor(
      async () =>
        (
          await stack.db.query(`SELECT value FROM readings WHERE device_id = $1 AND metric = 'temperature'`, [
            dev,
          ])
        ).rows[0],
      10_000,
      'the replayed reading',
    );
    assert.equal(stored.value, 19.5);
    await page.waitForSelector('tr[data-dead-letter] .replayed');
    await shot(page, '34-dead-letters-replayed');

    // on a phone a block per dead letter: topic, reason and Replay on the screen, the topic on one line (it was a
    // column a few letters wide)
    const phone = await newPage(PHONE);
    await login(phone, stack.baseUrl, stack.users.operator, '/dead-letters');
    const phoneRow = phone.locator('tr[data-dead-letter]', { hasText: `devices/${dev}/humidity` });
    await phoneRow.waitFor();
    const boxes = await phoneRow.evaluate((tr) =>
      [...tr.querySelectorAll('.topic code, [data-testid=reason], button')].map((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, height: r.height };
      }),
    );
    assert.ok(
      boxes.length >= 3 && boxes.every((b) => b.left >= 0 && b.right <= PHONE.width),
      JSON.stringify(boxes),
    );
    assert.ok(boxes[0].height < 20, `the topic on one line, not ${boxes[0].height}px tall`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    await shot(phone, '35-phone-dead-letters');
    await phone.context().close();

    // a viewer has no entry and no access
    const viewer = await newPage();
    await login(viewer, stack.baseUrl, stack.users.viewer);
    assert.equal(await viewer.locator('nav[aria-label=Main] a[data-nav="/dead-letters"]').count(), 0);
    await viewer.goto(stack.baseUrl + '/dead-letters');
    await viewer.waitForURL(/\/devices\?denied=1/);
    await viewer.context().close();
    await page.context().close();
  });
});
