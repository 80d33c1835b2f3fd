// The app as a whole: phone width, and the Content-Security-Policy the api sends.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { login, PHONE, shot, useStack, waitForChart } from './support';

const env = useStack();
const { newPage } = env;

describe('app shell', () => {
  it('is usable at phone width', async () => {
    const { stack } = env;
    const page = await newPage(PHONE);
    await login(page, stack.baseUrl, stack.users.admin);
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    // all five of an admin's pages in sight in the top bar, none scrolled away
    const hidden = await page.$$eval('nav[aria-label=Main] a', (as) =>
      as.filter((a) => a.getBoundingClientRect().right > window.innerWidth).map((a) => a.textContent!.trim()),
    );
    assert.deepEqual(hidden, []);
    await shot(page, '16-phone-overview');
    await page.click(`[data-device="${stack.devices[0].id}"]`);
    await waitForChart(page);
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow2 <= 0, `horizontal overflow ${overflow2}px`);
    // the first chart on the first screen; the command panel (an admin sees it) below the charts
    const box = (sel: string) =>
      page.$eval(sel, (e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
      });
    const firstChart = await box('[data-chart] sh-chart');
    assert.ok(firstChart.top < 844, `first chart at ${firstChart.top}px`);
    const chartsEnd = await page.$$eval('[data-chart]', (els) =>
      Math.max(...els.map((e) => e.getBoundingClientRect().bottom + window.scrollY)),
    );
    const commands = await box('[data-testid=device-command]');
    assert.ok(commands.top >= chartsEnd, `commands at ${commands.top}px, charts end at ${chartsEnd}px`);
    await shot(page, '17-phone-detail');
    await page.context().close();
  });

  it('is drawn dark when the system asks or the user toggles it, readable (axe) on the overview and a device page, charts too', async () => {
    const { stack } = env;
    const page = await newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await login(page, stack.baseUrl, stack.users.admin);
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"] sh-sparkline path`);
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const toggle = page.locator('[data-testid=theme-toggle]');
    assert.equal(await bg(), 'rgb(13, 17, 23)');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    // the sparklines in the dark scheme's accent (#4c9cf0), light enough on the dark cards
    const sparkline = () =>
      page.$eval(
        `[data-device="${stack.devices[0].id}"] sh-sparkline path`,
        (p) => getComputedStyle(p).stroke,
      );
    assert.equal(await sparkline(), 'rgb(76, 156, 240)');
    await shot(page, '49-dark-overview');

    // an offline device over a day: charts, its offline warning on the commands
    await page.goto(`${stack.baseUrl}/devices/${stack.devices[1].id}?range=now-24h`);
    await waitForChart(page);
    await page.locator('[data-testid=command-offline]').waitFor();
    // the charts' words follow the scheme: the y axis labels' pixels are light on the dark page
    const labelLightness = () =>
      page.$eval('[data-chart] sh-chart canvas', (c: HTMLCanvasElement) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, Math.round(c.width * 0.08), c.height);
        let sum = 0;
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
          if (data[i + 3] > 200) {
            sum += (data[i] + data[i + 1] + data[i + 2]) / 765;
            n++;
          }
        return n ? sum / n : NaN;
      });
    const dark = await labelLightness();
    assert.ok(dark > 0.5, `y axis labels' lightness ${dark}`);
    await shot(page, '50-dark-detail');

    // the toggle: light, kept across a reload though the system still prefers dark
    await toggle.click();
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'light');
    assert.equal(await bg(), 'rgb(244, 246, 249)');
    await waitForChart(page);
    await page.waitForFunction(
      () => document.querySelector('[data-chart] sh-chart')?.getAttribute('data-state') === 'ready',
    );
    const light = await labelLightness();
    assert.ok(light < dark - 0.15, `labels darker in light mode: ${light} vs ${dark}`);
    await page.reload();
    await waitForChart(page);
    assert.equal(await bg(), 'rgb(244, 246, 249)');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await page.context().close();
  });

  it('keeps kiosk while a wall screen follows links (a card, a range, back, the table view) until it loads a URL without it', async () => {
    const { stack } = env;
    const [gh, ws] = stack.devices.map((d) => d.id);
    const page = await newPage();
    const kioskOn = async (what: string) => {
      assert.equal(new URL(page.url()).searchParams.get('kiosk'), '1', `${what}: ${page.url()}`);
      assert.equal(await page.locator('header.topbar').count(), 0, `${what}: no top bar`);
    };
    await login(page, stack.baseUrl, stack.users.admin, '/devices?kiosk=1');
    await page.click(`[data-device="${gh}"]`);
    await page.waitForURL((u) => u.pathname === `/devices/${gh}`);
    await waitForChart(page);
    await kioskOn('a card followed');
    // a wall screen: no way back, no editing or commands, though an admin is signed in
    assert.equal(await page.locator('a.back').count(), 0);
    assert.equal(await page.locator('[data-testid=device-command]').count(), 0);
    await page.click('[data-range="now-7d"]');
    await page.waitForURL((u) => u.searchParams.get('range') === 'now-7d');
    await waitForChart(page);
    await kioskOn('a range chosen');
    await shot(page, '53-kiosk-followed-link');
    await page.goBack();
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/devices');
    await page.locator(`[data-device="${ws}"]`).waitFor();
    await kioskOn('back on the overview');
    // the table view's links too
    await page.goto(`${stack.baseUrl}/devices?kiosk=1&view=table`);
    await page.locator(`a[href="/devices/${ws}"]`).click();
    await page.waitForURL((u) => u.pathname === `/devices/${ws}`);
    await kioskOn("a table row's link followed");
    // leaving: the same page loaded without it has its top bar and way back again
    await page.goto(`${stack.baseUrl}/devices/${ws}`);
    await page.locator('a.back').click();
    await page.waitForURL((u) => u.pathname === '/devices');
    assert.equal(new URL(page.url()).searchParams.get('kiosk'), null);
    await page.locator('header.topbar').waitFor();
    await page.context().close();
  });

  it('runs the dashboard and Swagger UI under the Content-Security-Policy without a single violation', async () => {
    const { stack } = env;
    const page = await newPage();
    const violations: string[] = [];
    page.on(
      'console',
      (m) => /Content Security Policy|Refused to/.test(m.text()) && violations.push(m.text()),
    );
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Refused to load (CSP ${e.violatedDirective}): ${e.blockedURI}`),
      ),
    );
    const res = await page.goto(stack.baseUrl + '/login');
    assert.match(res!.headers()['content-security-policy'], /script-src 'self'/);
    await login(page, stack.baseUrl, stack.users.admin);
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"] sh-sparkline path`);
    await page.click(`[data-device="${stack.devices[0].id}"]`);
    await waitForChart(page);
    // the stylesheet applies (Angular's critical-CSS loader would need an inline handler the CSP refuses)
    const bg = await page.evaluate(() => window.getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(bg, 'rgb(244, 246, 249)');
    await page.goto(stack.baseUrl + '/api/docs');
    await page.waitForSelector('.swagger-ui .opblock-tag', { timeout: 20_000 });
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/ping' }).first().click();
    await page.waitForSelector('.opblock-body');
    await shot(page, '30-swagger-under-csp', { axe: false });
    assert.deepEqual(violations, []);
    await page.context().close();
  });

  it("asks for a device page's code while Angular boots, before the app's first API call", async () => {
    const { stack } = env;
    const signedIn = await newPage();
    await login(signedIn, stack.baseUrl, stack.users.viewer);
    // a second tab of the signed-in session: only this load's requests
    const page = await signedIn.context().newPage();
    const order: string[] = [];
    page.on('request', (r) => order.push(new URL(r.url()).pathname));
    // the device page's chunk: the script that defines its component
    let pageCode = '';
    page.on('response', async (r) => {
      if (r.url().endsWith('.js') && /["'`]sh-device-detail["'`]/.test(await r.text()))
        pageCode = new URL(r.url()).pathname;
    });
    await page.goto(`${stack.baseUrl}/devices/${stack.devices[0].id}?range=now-24h`);
    await waitForChart(page);
    assert.ok(pageCode, "the device page's chunk was loaded");
    const firstApi = order.findIndex((p) => p.startsWith('/api/'));
    assert.ok(firstApi > 0, order.join(' '));
    assert.ok(order.indexOf(pageCode) < firstApi, order.join(' '));
    await page.context().close();
  });
});
