// Signing in and out: the login page, a wrong password, the overview a viewer lands on, an expired session.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, navigation, shot, useStack, waitFor, waitForChart } from './support';

const env = useStack();
const { newPage } = env;

describe('login', () => {
  it('sends a signed-out visitor to the login page and a viewer to the overview with viewer navigation', async () => {
    const { stack } = env;
    const page = await newPage();
    await page.goto(stack.baseUrl + '/devices');
    await page.waitForURL(/\/login\?returnUrl=%2Fdevices/);
    await shot(page, '01-login');

    await page.fill('input[name=email]', stack.users.viewer.email);
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=login-error]');
    // the focus goes to the message (the fields were disabled while signing in), not back to <body>
    await waitFor(
      () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'login-error'),
      5000,
      'the focus on the error',
    );
    await shot(page, '02-login-error');

    await login(page, stack.baseUrl, stack.users.viewer);
    assert.match(page.url(), /\/devices$/);
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    assert.equal((await page.textContent('[data-testid=role]'))!, 'viewer');
    const nav = await navigation(page);
    assert.deepEqual(nav, ['Devices', 'Alerts']);
    const card = page.locator(`[data-device="${stack.devices[0].id}"]`);
    assert.match((await card.textContent())!, /Greenhouse north/);
    assert.match((await card.locator('[data-testid=status]').textContent())!, /Online/);
    assert.match((await card.locator('[data-testid=battery]').textContent())!, /87%/);
    assert.match((await card.locator('[data-testid=last-seen]').textContent())!, /(\d+ s|1 min) ago/);
    assert.equal(await card.locator('li[data-metric]').count(), 2);
    await waitFor(() => card.locator('sh-sparkline path').count(), 10_000, 'sparklines');
    const weather = page.locator(`[data-device="${stack.devices[1].id}"]`);
    assert.match((await weather.locator('[data-testid=status]').textContent())!, /Offline/);
    await shot(page, '03-overview-viewer');

    await page.fill('[data-testid=search]', 'weather');
    await waitFor(async () => (await page.locator('[data-device]').count()) === 1, 5000, 'filtered list');
    await page.fill('[data-testid=search]', 'no-such-device-anywhere');
    await page.waitForSelector('text=No devices match');
    await shot(page, '04-overview-no-match');
    await page.context().close();
  });

  it('sends an expired session back to login and returns to the same page afterwards', async () => {
    const { stack } = env;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer);
    const id = stack.devices[0].id;
    // the stored access token expires and the refresh cookie is gone: the session is over
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('sensorhub.session')!);
      localStorage.setItem('sensorhub.session', JSON.stringify({ ...s, expiresAt: Date.now() - 1000 }));
    });
    await page.context().clearCookies();
    await page.goto(`${stack.baseUrl}/devices/${id}?range=7d&metrics=humidity`);
    await page.waitForURL(/\/login\?returnUrl=/);
    assert.equal(
      new URL(page.url()).searchParams.get('returnUrl'),
      `/devices/${id}?range=7d&metrics=humidity`,
    );
    await page.fill('input[name=email]', stack.users.viewer.email);
    await page.fill('input[name=password]', stack.users.viewer.password);
    await Promise.all([
      page.waitForURL(new RegExp(`/devices/${id}\\?range=7d&metrics=humidity$`)),
      page.click('button[type=submit]'),
    ]);
    await waitForChart(page);

    // an access token the server rejects mid-session: one refresh attempt with the cookie, then back to login
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('sensorhub.session')!);
      localStorage.setItem('sensorhub.session', JSON.stringify({ ...s, token: 'not-a-valid-token' }));
    });
    await page.context().clearCookies();
    await page.reload();
    await page.waitForURL(/\/login\?.*reason=expired|\/login\?returnUrl=/, { timeout: 10_000 });
    await page.waitForSelector('form[aria-labelledby="login-title"]');
    await shot(page, '11-session-expired');
    await page.context().close();
  });
});
