// Dates in the browser's language: the page writes them as Chromium writes its own date-time fields (the custom
// range's From / To), British English in the tests' usual browser, US English in one launched with --lang=en-US.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import type { Browser, Page } from 'playwright-core';

import { launchBrowser, login, newPage, shot, useStack, waitForChart } from './support';

const env = useStack();
const GB = /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}(:\d{2})?$/;
const US = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}(:\d{2})? [AP]M$/;

/** The device page over a past day: the range note, the first time in the chart's table, the custom range opened. */
async function datesOn(page: Page, name: string): Promise<{ table: string; note: string[] }> {
  const { stack } = env;
  const to = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
  const range = `from=${new Date(to - 86_400_000).toISOString()}&to=${new Date(to).toISOString()}`;
  await login(page, stack.baseUrl, stack.users.viewer, `/devices/${stack.devices[0].id}?${range}`);
  await waitForChart(page);
  const panel = page.locator('[data-chart=temperature]');
  await panel.locator('[data-testid=table-toggle]').click();
  const table = (await panel.locator('[data-testid=chart-table] tbody td').first().textContent())!.trim();
  await page.click('button[data-range=custom]');
  await page.waitForSelector('[data-testid=custom-range] input[name=from]');
  const note = (await page.textContent('[data-testid=range-label]'))!.trim().split(' – ');
  await shot(page, name);
  return { table, note };
}

describe('dates in the browser’s language', () => {
  let us: Browser | undefined;
  afterAll(() => us?.close());

  it('writes a US browser’s dates as its date fields do (Nov 29, 2026, 02:30 PM), a British one’s 29 Nov 2026, 14:30', async () => {
    const gbPage = await env.newPage();
    const gb = await datesOn(gbPage, '57-dates-en-GB');
    assert.match(gb.table, GB);
    assert.equal(gb.note.length, 2);
    for (const t of gb.note) assert.match(t, GB);
    await gbPage.context().close();

    us = await launchBrowser('en-US');
    const usPage = await newPage(us, undefined, 'en-US');
    const inUs = await datesOn(usPage, '58-dates-en-US');
    assert.match(inUs.table, US);
    assert.equal(inUs.note.length, 2);
    for (const t of inUs.note) assert.match(t, US);
    await usPage.context().close();
  });
});
