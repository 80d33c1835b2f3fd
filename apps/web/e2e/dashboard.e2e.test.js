'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node directly */
/* global require, process, console, __dirname, URL, fetch, document, localStorage, window, Buffer */
// Browser tests of the dashboard against the real stack (api + ingest + PostgreSQL + MQTT broker), driving the
// OS's Chromium through playwright-core. Run: node --test apps/web/e2e/ (screenshots in apps/web/e2e/screenshots/).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { after, before, describe, it } = require('node:test');

const { launchBrowser, login, startStack, waitFor } = require('./stack');

const SHOTS = path.join(__dirname, 'screenshots');
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

let stack;
let browser;

async function newPage(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[browser error]', e.message));
  return page;
}

/** Signs in through the API; the response (status and body) tells whether the password is accepted. */
async function apiLogin(email, password) {
  const res = await fetch(`${stack.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The series ECharts is drawing, read from the chart instance of a metric's chart (default: the first chart). */
async function chartSeries(page, metric) {
  return page.evaluate((m) => {
    const el = m
      ? document.querySelector(`[data-chart="${m}"] sh-chart`)
      : document.querySelector('sh-chart');
    const chart = el && el.__shChart;
    if (!chart) return null;
    return chart.getOption().series.map((s) => ({ id: s.id, data: s.data }));
  }, metric);
}

/** Waits until the n-th chart draws series with data, and returns them. */
function waitForChart(page, metric) {
  return waitFor(
    async () => {
      const s = await chartSeries(page, metric);
      return s && s.length && s.some((x) => x.data.length) ? s : null;
    },
    20_000,
    'a chart with data',
  );
}

describe('dashboard in Chromium against the real stack', { timeout: 240_000 }, () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ build: process.env.E2E_BUILD !== '0' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sends a signed-out visitor to the login page and a viewer to the overview with viewer navigation', async () => {
    const page = await newPage();
    await page.goto(stack.baseUrl + '/devices');
    await page.waitForURL(/\/login\?returnUrl=%2Fdevices/);
    await shot(page, '01-login');

    await page.fill('input[name=email]', stack.users.viewer.email);
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=login-error]');
    await shot(page, '02-login-error');

    await login(page, stack.baseUrl, stack.users.viewer);
    assert.match(page.url(), /\/devices$/);
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    assert.equal(await page.textContent('[data-testid=role]'), 'viewer');
    const nav = await page.$$eval('nav[aria-label=Main] a', (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(nav, ['Devices', 'Alerts']);
    const card = page.locator(`[data-device="${stack.devices[0].id}"]`);
    assert.match(await card.textContent(), /Greenhouse north/);
    assert.match(await card.locator('[data-testid=status]').textContent(), /Online/);
    assert.match(await card.locator('[data-testid=battery]').textContent(), /87%/);
    assert.match(await card.locator('[data-testid=last-seen]').textContent(), /(\d+ s|1 min) ago/);
    assert.equal(await card.locator('li[data-metric]').count(), 2);
    await waitFor(() => card.locator('sh-sparkline path').count(), 10_000, 'sparklines');
    const weather = page.locator(`[data-device="${stack.devices[1].id}"]`);
    assert.match(await weather.locator('[data-testid=status]').textContent(), /Offline/);
    await shot(page, '03-overview-viewer');

    await page.fill('[data-testid=search]', 'weather');
    await waitFor(async () => (await page.locator('[data-device]').count()) === 1, 5000, 'filtered list');
    await page.fill('[data-testid=search]', 'no-such-device-anywhere');
    await page.waitForSelector('text=No devices match');
    await shot(page, '04-overview-no-match');
    await page.context().close();
  });

  it('does not let a viewer reach the admin pages, in the UI or through the API', async () => {
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer);
    await page.goto(stack.baseUrl + '/admin/users');
    await page.waitForURL(/\/devices\?denied=1/);
    await page.waitForSelector('text=That page is for administrators');
    await page.goto(stack.baseUrl + '/admin/api-keys');
    await page.waitForURL(/\/devices\?denied=1/);
    const status = await page.evaluate(async () => {
      const s = JSON.parse(localStorage.getItem('sensorhub.session'));
      return (await fetch('/api/v1/users', { headers: { Authorization: `Bearer ${s.token}` } })).status;
    });
    assert.equal(status, 403);
    await shot(page, '05-viewer-denied');
    await page.context().close();
  });

  it('shows a reading published over MQTT on the overview without a reload', async () => {
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
      async () => (await value.textContent()).trim() === '31.8 °C',
      15_000,
      "the published value on the card, at the catalog's decimals and with its unit",
    );
    assert.equal(
      (
        await page.locator(`[data-device="${id}"] li[data-metric=temperature] .metric-name`).textContent()
      ).trim(),
      'Temperature',
    );
    assert.equal(navigations, 0);
    // the page's clock ticks once a second: a reading that arrives within the tick reads "just now"
    assert.match(
      await page.locator(`[data-device="${id}"] [data-testid=last-seen]`).textContent(),
      /just now|\d+ s ago/,
    );
    await waitFor(
      () => page.locator(`[data-device="${id}"] sh-sparkline path`).count(),
      10_000,
      'sparklines',
    );
    await shot(page, '06-overview-live');
    await page.context().close();
  });

  it('draws the seeded series on the detail chart, with a min–max band when downsampled', async () => {
    const page = await newPage();
    const id = stack.devices[0].id;
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=24h&metrics=temperature`);
    const series = await waitForChart(page);
    const line = series.find((s) => s.id === 'temperature');
    assert.ok(line, 'temperature line');

    // 24 h of 5-minute readings fit maxPoints: the chart holds exactly the raw readings of the range
    const { rows } = await stack.db.query(
      `SELECT (extract(epoch FROM ts) * 1000)::float8 AS t, value FROM readings
       WHERE device_id = $1 AND metric = 'temperature' AND ts >= now() - interval '24 hours' ORDER BY ts`,
      [id],
    );
    const drawn = line.data.filter(([t]) => t >= rows[0].t);
    const seeded = rows.filter((r) => r.t <= line.data.at(-1)[0]).map((r) => [r.t, r.value]);
    assert.ok(seeded.length >= 280, `seeded ${seeded.length}`);
    assert.deepEqual(drawn.slice(0, seeded.length), seeded);
    assert.ok(!series.some((s) => s.id === 'temperature:band'), 'no band on raw readings');
    await shot(page, '07-detail-24h');

    // 30 days do not fit: buckets, drawn as average plus band
    await page.click('[data-range="30d"]');
    await page.waitForURL(/range=30d/);
    const month = await waitFor(
      async () => {
        const s = await chartSeries(page);
        return s && s.some((x) => x.id === 'temperature:band' && x.data.length) ? s : null;
      },
      20_000,
      'a banded 30-day chart',
    );
    const avg = month.find((s) => s.id === 'temperature').data;
    const lo = month.find((s) => s.id === 'temperature:min').data;
    const width = month.find((s) => s.id === 'temperature:band').data;
    assert.ok(avg.length > 50 && avg.length <= 1000, `bucket count ${avg.length}`);
    for (let i = 0; i < avg.length; i++) {
      assert.ok(
        lo[i][1] <= avg[i][1] + 1e-9 && avg[i][1] <= lo[i][1] + width[i][1] + 1e-9,
        `bucket ${i} avg within band`,
      );
    }
    await shot(page, '08-detail-30d-band');

    // CSV export of the visible range: the raw readings, not the buckets
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=export-csv]'),
    ]);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv[0], 'device_id,metric,ts,value');
    const { rows: n } = await stack.db.query(
      `SELECT count(*)::int AS n FROM readings WHERE device_id = $1 AND metric = 'temperature'`,
      [id],
    );
    assert.ok(
      csv.length - 1 >= n[0].n - 2 && csv.length - 1 <= n[0].n,
      `${csv.length - 1} rows of ${n[0].n}`,
    );
    assert.ok(csv.slice(1).every((l) => l.startsWith(`${id},temperature,`)));
    await page.context().close();
  });

  it('requests the new range when the range changes, keeps it in the URL across a reload, and refetches on zoom', async () => {
    const page = await newPage();
    const id = stack.devices[0].id;
    const requests = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === `/api/v1/devices/${id}/readings`) requests.push(Object.fromEntries(u.searchParams));
    });
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=1h`);
    await waitForChart(page);
    const span = (q) => Date.parse(q.to) - Date.parse(q.from);
    await waitFor(() => requests.some((q) => q.metric === 'temperature'), 5000, 'first request');
    assert.equal(span(requests.find((q) => q.metric === 'temperature')), 3_600_000);
    assert.ok(requests.every((q) => q.tz === 'Europe/Berlin'));

    requests.length = 0;
    await page.click('[data-range="7d"]');
    await page.waitForURL(/range=7d/);
    await waitFor(() => requests.filter((q) => q.metric).length >= 2, 5000, 'requests for the new range');
    for (const q of requests) assert.equal(span(q), 7 * 86_400_000);
    assert.deepEqual(new Set(requests.map((q) => q.metric)), new Set(['humidity', 'temperature']));

    await page.reload();
    await waitForChart(page);
    assert.equal(await page.getAttribute('[data-range="7d"]', 'aria-pressed'), 'true');

    // custom from–to
    requests.length = 0;
    await page.click('[data-range=custom]');
    const from = new Date(Date.now() - 2 * 86_400_000);
    const to = new Date(Date.now() - 86_400_000);
    // <input type=datetime-local> takes the browser's local time (Europe/Berlin here)
    const localInput = (t) =>
      page.evaluate((ms) => {
        const d = new Date(ms);
        const p = (n) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      }, t);
    const fromLocal = await localInput(from.getTime());
    const toLocal = await localInput(to.getTime());
    await page.fill('[data-testid=custom-range] input[name=from]', fromLocal);
    await page.fill('[data-testid=custom-range] input[name=to]', toLocal);
    await page.click('[data-testid=custom-range] button[type=submit]');
    await page.waitForURL(/from=.*&to=|to=.*&from=/);
    await waitFor(() => requests.length >= 2, 5000, 'custom range requests');
    assert.ok(Math.abs(span(requests[0]) - 86_400_000) < 60_000);

    // zoom in on the chart: the visible window is fetched again at finer resolution
    await page.click('[data-range="30d"]');
    await page.waitForURL(/range=30d/);
    await waitForChart(page);
    await waitFor(
      async () => ((await chartSeries(page, 'temperature')) ?? []).some((s) => s.id === 'temperature:band'),
      20_000,
      '30-day buckets',
    );
    requests.length = 0;
    const zoomTo = Date.now() - 10 * 86_400_000;
    const zoomFrom = zoomTo - 6 * 3_600_000;
    await page.evaluate(
      ([s, e]) =>
        document
          .querySelector('[data-chart="temperature"] sh-chart')
          .__shChart.dispatchAction({ type: 'dataZoom', startValue: s, endValue: e }),
      [zoomFrom, zoomTo],
    );
    await waitFor(() => requests.some((q) => span(q) < 86_400_000), 5000, 'a zoomed request');
    const zq = requests.find((q) => span(q) < 86_400_000);
    assert.ok(
      Math.abs(Date.parse(zq.from) - zoomFrom) < 3_600_000 &&
        Math.abs(Date.parse(zq.to) - zoomTo) < 3_600_000,
      JSON.stringify(zq),
    );
    // the zoomed window now holds raw 5-minute readings rather than multi-hour buckets
    await waitFor(
      async () => {
        const line = ((await chartSeries(page, 'temperature')) ?? []).find((s) => s.id === 'temperature');
        return line && line.data.filter(([t]) => t >= zoomFrom && t <= zoomTo).length >= 60;
      },
      10_000,
      'finer points in the zoomed window',
    );
    await page.waitForSelector('text=Reset zoom');
    await shot(page, '09-detail-zoomed');
    await page.context().close();
  });

  it('appends live points to a chart whose range ends now', async () => {
    const page = await newPage();
    const id = stack.devices[0].id;
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=15m&metrics=humidity`);
    await waitForChart(page);
    await waitFor(
      () => page.evaluate(() => document.querySelector('.live.open') !== null),
      10_000,
      'live stream open',
    );
    const ts = Date.now();
    await stack.publish(`devices/${id}/humidity`, { value: 77.7, ts: new Date(ts).toISOString() });
    await waitFor(
      async () => {
        const line = ((await chartSeries(page)) ?? []).find((s) => s.id === 'humidity');
        return line && line.data.some(([t, v]) => t === ts && v === 77.7);
      },
      15_000,
      'the live point on the chart',
    );
    await shot(page, '10-detail-live');
    await page.context().close();
  });

  it('sends an expired session back to login and returns to the same page afterwards', async () => {
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.viewer);
    const id = stack.devices[0].id;
    // the stored access token expires and the refresh cookie is gone: the session is over
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('sensorhub.session'));
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
      const s = JSON.parse(localStorage.getItem('sensorhub.session'));
      localStorage.setItem('sensorhub.session', JSON.stringify({ ...s, token: 'not-a-valid-token' }));
    });
    await page.context().clearCookies();
    await page.reload();
    await page.waitForURL(/\/login\?.*reason=expired|\/login\?returnUrl=/, { timeout: 10_000 });
    await page.waitForSelector('form[aria-labelledby="login-title"]');
    await shot(page, '11-session-expired');
    await page.context().close();
  });

  it('lets an admin manage users and API keys, and an operator edit a device', async () => {
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.admin);
    const nav = await page.$$eval('nav[aria-label=Main] a', (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(nav, ['Devices', 'Alerts', 'Dead letters', 'Users', 'API keys']);

    await page.click('[data-nav="/admin/users"]');
    await page.waitForSelector('[data-testid=users-table]');
    for (const u of Object.values(stack.users)) await page.waitForSelector(`tr[data-user="${u.email}"]`);
    await page.fill('[data-testid=create-user] input[name=email]', 'new.person@sensorhub.test');
    await page.fill('[data-testid=create-user] input[name=password]', 'a-long-enough-password');
    await page.selectOption('[data-testid=create-user] select[name=role]', 'operator');
    await page.click('[data-testid=create-user] button[type=submit]');
    await page.waitForSelector('tr[data-user="new.person@sensorhub.test"]');
    await page.click('tr[data-user="new.person@sensorhub.test"] button:has-text("Disable")');
    await page.waitForSelector('tr[data-user="new.person@sensorhub.test"] >> text=Disabled');
    const { rows } = await stack.db.query(
      `SELECT role, disabled FROM users WHERE email = 'new.person@sensorhub.test'`,
    );
    assert.deepEqual(rows[0], { role: 'operator', disabled: true });
    await shot(page, '12-admin-users');

    await page.click('[data-nav="/admin/api-keys"]');
    await page.waitForSelector('text=No API keys yet');
    await shot(page, '13-admin-api-keys-empty');
    await page.fill('[data-testid=create-key] input[name=name]', 'billing export');
    await page.fill('[data-testid=key-devices]', stack.devices[0].id);
    await page.click('[data-testid=create-key] button[type=submit]');
    const key = (await page.locator('[data-testid=new-key] code.key').textContent()).trim();
    assert.ok(key.length > 20);
    const ok = await fetch(`${stack.baseUrl}/api/v1/devices`, { headers: { 'X-API-Key': key } });
    assert.equal(ok.status, 200);
    // bound to one device: it sees only that one, and another device is 403
    assert.deepEqual(
      (await ok.json()).items.map((d) => d.id),
      [stack.devices[0].id],
    );
    const other = await fetch(`${stack.baseUrl}/api/v1/devices/${stack.devices[1].id}`, {
      headers: { 'X-API-Key': key },
    });
    assert.equal(other.status, 403);
    assert.equal(
      (await page.textContent('tr[data-key="billing export"] [data-testid=key-device-scopes]')).trim(),
      stack.devices[0].id,
    );
    await shot(page, '14-admin-api-key-created');
    await page.click('[data-testid=new-key] button:has-text("Done")');
    await page.waitForSelector('[data-testid=new-key]', { state: 'detached' });
    assert.equal(await page.getByText(key).count(), 0, 'the key is shown once');
    await page.click('tr[data-key="billing export"] button:has-text("Revoke")');
    await page.click('tr[data-key="billing export"] button:has-text("Revoke now")');
    await page.waitForSelector('tr[data-key="billing export"] >> text=Revoked');
    const revoked = await fetch(`${stack.baseUrl}/api/v1/devices`, { headers: { 'X-API-Key': key } });
    assert.equal(revoked.status, 401);
    await page.context().close();

    const op = await newPage();
    const id = stack.devices[1].id;
    await login(op, stack.baseUrl, stack.users.operator, `/devices/${id}`);
    assert.deepEqual(await op.$$eval('nav[aria-label=Main] a', (as) => as.map((a) => a.textContent.trim())), [
      'Devices',
      'Alerts',
      'Dead letters',
    ]);
    assert.equal(await op.locator('[data-testid=metadata]').count(), 0, 'no metadata list while empty');
    await op.click('[data-testid=edit-device]');
    await op.waitForSelector('[data-testid=edit-metadata] >> text=No metadata yet.');
    await shot(op, '18-detail-edit-no-metadata');
    await op.fill('[data-testid=edit-form] input[name=name]', 'Weather station (roof)');
    await op.fill('[data-testid=edit-form] input[name=location]', 'Roof, mast 2');
    await op.click('[data-testid=add-metadata]');
    await op.click('[data-testid=add-metadata]');
    const metaRows = op.locator('[data-testid=edit-metadata] [data-meta-row]');
    await metaRows.nth(0).locator('input[aria-label=Key]').fill('mast');
    await metaRows.nth(0).locator('input[aria-label=Value]').fill('M2, north side');
    await metaRows.nth(1).locator('input[aria-label=Key]').fill('installed by');
    await metaRows.nth(1).locator('input[aria-label=Value]').fill('Ana');
    await shot(op, '19-detail-edit-metadata');
    await op.click('[data-testid=edit-form] button[type=submit]');
    await op.waitForSelector('[data-testid=device-name]:has-text("Weather station (roof)")');
    const dev = await stack.db.query('SELECT name, location, metadata FROM devices WHERE id = $1', [id]);
    assert.deepEqual(dev.rows[0], {
      name: 'Weather station (roof)',
      location: 'Roof, mast 2',
      metadata: { mast: 'M2, north side', 'installed by': 'Ana' },
    });
    await waitForChart(op);
    await shot(op, '15-detail-operator-edited');
    await op.reload();
    await op.waitForSelector('[data-testid=metadata]');
    const metaShown = () =>
      op.$$eval('[data-testid=metadata] > div', (ds) =>
        ds.map((d) => [d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.trim()]),
      );
    assert.deepEqual(await metaShown(), [
      ['mast', 'M2, north side'],
      ['installed by', 'Ana'],
    ]);
    // the edit form starts from the stored metadata; removing a row removes the key
    await op.click('[data-testid=edit-device]');
    await metaRows.nth(1).waitFor();
    assert.equal(await metaRows.count(), 2);
    await metaRows.nth(1).locator('button:has-text("Remove")').click();
    await op.click('[data-testid=edit-form] button[type=submit]');
    await op.waitForSelector('[data-testid=edit-form]', { state: 'detached' });
    assert.deepEqual(await metaShown(), [['mast', 'M2, north side']]);
    await op.reload();
    await op.waitForSelector('[data-testid=metadata]');
    assert.deepEqual(await metaShown(), [['mast', 'M2, north side']]);
    await op.context().close();

    const viewer = await newPage();
    await login(viewer, stack.baseUrl, stack.users.viewer, `/devices/${id}`);
    await waitForChart(viewer);
    assert.equal(
      await viewer.locator('[data-testid=edit-device]').count(),
      0,
      'a viewer gets no edit button',
    );
    assert.equal(await viewer.locator('[data-testid=metadata] dd').textContent(), 'M2, north side');
    await shot(viewer, '20-detail-viewer-metadata');
    await viewer.context().close();
  });

  it('lets an operator send commands that arrive on the device topic, and gives a viewer no command controls', async () => {
    const id = stack.devices[0].id;
    const topic = `devices/${id}/cmd`;
    const sub = await stack.subscribe(topic);
    try {
      const page = await newPage();
      await login(page, stack.baseUrl, stack.users.operator, `/devices/${id}`);
      const form = page.locator('[data-testid=device-command]');
      await form.waitFor();
      assert.equal(await form.locator('[data-command=ping]').getAttribute('aria-pressed'), 'true');
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=command-result]:has-text("Sent ping at")');
      await waitFor(() => sub.messages.length >= 1, 10_000, 'the ping on MQTT');
      assert.equal(sub.messages[0].topic, topic);
      assert.deepEqual(JSON.parse(sub.messages[0].payload), { command: 'ping' });
      await waitForChart(page);
      await shot(page, '21-detail-command-sent');

      // reboot asks first; cancelling sends nothing
      await form.locator('[data-command=reboot]').click();
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=confirm-reboot]');
      await shot(page, '22-detail-command-reboot-confirm');
      await form.locator('button:has-text("Cancel")').click();
      await page.waitForSelector('[data-testid=confirm-reboot]', { state: 'detached' });

      // an interval outside 5–86400 s is refused before sending; a valid one is published with its seconds
      await form.locator('[data-command=interval]').click();
      await form.locator('input[name=seconds]').fill('3');
      await form.locator('button[type=submit]').click();
      assert.match(await page.locator('[data-testid=command-result].error').textContent(), /5 to 86400/);
      await form.locator('input[name=seconds]').fill('90');
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=command-result]:has-text("Sent interval 90 s at")');
      await waitFor(() => sub.messages.length >= 2, 10_000, 'the interval on MQTT');
      assert.deepEqual(JSON.parse(sub.messages[1].payload), { command: 'interval', seconds: 90 });
      assert.equal(sub.messages.length, 2, 'the cancelled reboot was never published');

      // the API's own error message is shown (a broker outage, simulated at the network edge)
      await page.route('**/api/v1/devices/*/commands', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({
            statusCode: 503,
            code: 'BROKER_UNAVAILABLE',
            message: 'broker unavailable',
          }),
        }),
      );
      await form.locator('[data-command=ping]').click();
      await form.locator('button[type=submit]').click();
      assert.equal(
        (await page.locator('[data-testid=command-result].error').textContent()).trim(),
        'Not sent: broker unavailable',
      );
      await shot(page, '23-detail-command-error');
      await page.context().close();
    } finally {
      await sub.unsubscribe();
    }

    const viewer = await newPage();
    await login(viewer, stack.baseUrl, stack.users.viewer, `/devices/${id}`);
    await waitForChart(viewer);
    assert.equal(await viewer.locator('[data-testid=device-command]').count(), 0, 'no command form');
    assert.equal(await viewer.locator('[data-command]').count(), 0, 'no command buttons');
    assert.equal(await viewer.getByText('Send command').count(), 0);
    await viewer.context().close();
  });

  it('lets an operator create a rule in the editor, with field errors and a preview drawn on the chart', async () => {
    const id = stack.devices[0].id;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.operator, '/alerts');
    await page.locator('[data-testid=rules-link]').click();
    await page.locator('[data-testid=new-rule]').click();
    const editor = page.locator('[data-testid=rule-editor]');
    const field = (name) => editor.locator(`[data-field=${name}]`);
    await field('name').fill('Greenhouse too hot');
    await field('scopeDeviceId').fill(id);
    await field('metric').fill('temperature');
    await field('threshold').fill('24');
    await field('clearThreshold').fill('30');
    await field('severity').selectOption('critical');
    // clearing above the threshold could never settle: the API's 400 is shown at the field
    await editor.locator('[data-testid=rule-save]').click();
    const clearError = editor.locator('label:has([data-field=clearThreshold]) .field-error');
    await clearError.waitFor();
    assert.match(await clearError.textContent(), /must be at most threshold/);
    await shot(page, '29-rule-field-error');

    // the seeded day of temperature (21 ± 5) crosses 24: the preview draws the lines and where it would have fired
    await field('clearThreshold').fill('22');
    await editor.locator('[data-testid=rule-preview]').click();
    const summary = editor.locator('[data-testid=preview-summary]');
    await summary.waitFor({ timeout: 15_000 });
    assert.match(
      await summary.textContent(),
      /readings replayed: would have fired [1-9]\d* times? on 1 device/,
    );
    const marks = await waitFor(
      () =>
        page.evaluate(() => {
          const chart = document.querySelector('[data-testid=preview] sh-chart')?.__shChart;
          const s = chart?.getOption().series.find((x) => x.id === 'temperature');
          return s && s.data.length && s.markArea ? s : null;
        }),
      15_000,
      'the preview chart',
    );
    assert.deepEqual(
      marks.markLine.data.map((d) => d.yAxis),
      [24, 22],
    );
    assert.ok(marks.markArea.data.length >= 1, 'shaded where it would have fired');
    assert.ok(
      marks.markPoint.data.some((p) => p.name.startsWith('fired')),
      'pinned where it would have fired',
    );
    await shot(page, '29-rule-preview');

    await field('metric').fill('e2e_temp');
    await field('threshold').fill('40');
    await field('clearThreshold').fill('35');
    await editor.locator('[data-testid=rule-save]').click();
    await editor.waitFor({ state: 'detached' });
    const rule = page.locator('tr[data-rule="Greenhouse too hot"]');
    assert.match(await rule.textContent(), /e2e_temp above 40, clears past 35.*critical.*yes/s);

    // a viewer reads the rule but cannot change it
    const viewer = await newPage();
    await login(viewer, stack.baseUrl, stack.users.viewer, '/alerts/rules');
    await viewer.locator('tr[data-rule="Greenhouse too hot"] [data-testid=edit-rule]').click();
    assert.equal(await viewer.locator('[data-testid=new-rule]').count(), 0);
    assert.equal(await viewer.locator('[data-testid=rule-save]').count(), 0);
    assert.ok(await viewer.locator('[data-field=threshold]').isDisabled());
    await viewer.context().close();
    await page.context().close();
  });

  it('fires an alert from an MQTT reading, counts it in the top bar, takes an acknowledgement and resolves', async () => {
    const id = stack.devices[0].id;
    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.operator, '/alerts');
    await waitFor(
      () => page.evaluate(() => document.querySelector('.live.open') !== null),
      10_000,
      'live stream open',
    );
    const row = page.locator('tr[data-rule="Greenhouse too hot"]');
    await stack.publish(`devices/${id}/e2e_temp`, { value: 45.5, ts: new Date().toISOString() });
    await row.and(page.locator('[data-state=firing]')).waitFor({ timeout: 15_000 });
    assert.equal((await page.locator('[data-testid=alert-badge]').textContent()).trim(), '1');
    assert.match(await row.textContent(), /critical.*firing.*e2e_temp 45\.5/s);
    await shot(page, '30-alerts-firing');

    await row.locator('[data-testid=ack]').click();
    await row.locator('[data-testid=ack-note]').fill('vents opened');
    await row.locator('button[type=submit]').click();
    await row.locator('[data-testid=acked]').waitFor();
    assert.match(await row.textContent(), /operator@sensorhub\.test.*vents opened/s);

    // 38 is inside the hysteresis band: still firing; 30 clears it
    await stack.publish(`devices/${id}/e2e_temp`, { value: 38, ts: new Date().toISOString() });
    await stack.publish(`devices/${id}/e2e_temp`, { value: 30, ts: new Date(Date.now() + 1).toISOString() });
    await row.and(page.locator('[data-state=resolved]')).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=alert-badge]').waitFor({ state: 'detached' });
    await shot(page, '31-alerts-resolved');

    // the device's chart marks when it fired and resolved
    await page.goto(`${stack.baseUrl}/devices/${id}?range=1h&metrics=e2e_temp`);
    const series = await waitFor(
      () =>
        page.evaluate(() => {
          const chart = document.querySelector('[data-chart="e2e_temp"] sh-chart')?.__shChart;
          const s = chart?.getOption().series.find((x) => x.id === 'e2e_temp');
          return s && s.markArea && s.markPoint ? s : null;
        }),
      15_000,
      'alert markers on the e2e_temp chart',
    );
    assert.equal(series.markArea.data.length, 1);
    assert.deepEqual(
      series.markPoint.data.map((p) => p.name),
      ['fired: Greenhouse too hot (critical)', 'resolved: Greenhouse too hot (critical)'],
    );
    await shot(page, '32-alert-markers');
    await page.context().close();
  });

  it("lets an admin reset a user's password, showing the API's rule when it is too short", async () => {
    const email = 'reset.me@sensorhub.test';
    const admin = await apiLogin(stack.users.admin.email, stack.users.admin.password);
    const created = await fetch(`${stack.baseUrl}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.body.accessToken}` },
      body: JSON.stringify({ email, password: 'the-initial-password', role: 'viewer' }),
    });
    assert.equal(created.status, 201);

    const page = await newPage();
    await login(page, stack.baseUrl, stack.users.admin, '/admin/users');
    const row = page.locator(`tr[data-user="${email}"]`);
    await row.locator('button:has-text("Reset password")').click();
    const reset = page.locator(`tr[data-reset="${email}"]`);
    await reset.locator('input[name=newPassword]').fill('too-short');
    await reset.locator('button[type=submit]').click();
    assert.match(
      await reset.locator('.alert.error').textContent(),
      /password must be longer than or equal to 12 characters/,
    );
    await shot(page, '24-admin-reset-password-error');
    assert.equal((await apiLogin(email, 'too-short')).status, 401);

    await reset.locator('input[name=newPassword]').fill('a-brand-new-password');
    await reset.locator('button[type=submit]').click();
    await reset.locator('.alert.success').waitFor();
    assert.match(await reset.textContent(), /Password changed/);
    assert.equal(await reset.locator('input').count(), 0, 'the form closes');
    await shot(page, '25-admin-reset-password-done');
    await page.context().close();

    const fresh = await apiLogin(email, 'a-brand-new-password');
    assert.ok(fresh.status < 300, `login with the new password: ${fresh.status}`);
    assert.equal(fresh.body.user.email, email);
    assert.equal((await apiLogin(email, 'the-initial-password')).status, 401, 'the old password is gone');

    // and through the login form
    const user = await newPage();
    await login(user, stack.baseUrl, { email, password: 'a-brand-new-password' });
    assert.equal(await user.textContent('[data-testid=role]'), 'viewer');
    await user.context().close();

    const phone = await newPage(PHONE);
    await login(phone, stack.baseUrl, stack.users.admin, '/admin/users');
    await phone.locator(`tr[data-user="${email}"] button:has-text("Reset password")`).click();
    await phone.locator(`tr[data-reset="${email}"] input[name=newPassword]`).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    await shot(phone, '26-phone-users-reset');
    await phone.context().close();
  });

  it('is usable at phone width', async () => {
    const page = await newPage(PHONE);
    await login(page, stack.baseUrl, stack.users.admin);
    await page.waitForSelector(`[data-device="${stack.devices[0].id}"]`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    await shot(page, '16-phone-overview');
    await page.click(`[data-device="${stack.devices[0].id}"]`);
    await waitForChart(page);
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow2 <= 0, `horizontal overflow ${overflow2}px`);
    await shot(page, '17-phone-detail');
    await page.context().close();
  });

  it('runs the dashboard and Swagger UI under the Content-Security-Policy without a single violation', async () => {
    const page = await newPage();
    const violations = [];
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
    assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
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
    await shot(page, '30-swagger-under-csp');
    assert.deepEqual(violations, []);
    await page.context().close();
  });

  // last: it adds 10,000 devices to the stack's database
  it('keeps the overview working with a fleet of 10,000 devices: one page, server search, paging', async () => {
    await stack.db.query(
      `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online)
       SELECT 'fleet-' || lpad(i::text, 5, '0'), 'Fleet ' || lpad(i::text, 5, '0'), 'Hall ' || (i % 40), now(), now(), 'ok', i % 7 <> 0
       FROM generate_series(1, 10000) i`,
    );
    const page = await newPage();
    const listRequests = [];
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
    assert.match(await page.textContent('[data-testid=device-count]'), new RegExp(`${total} total`));
    const cards = await page.locator('[data-device]').count();
    assert.ok(cards <= 120, `${cards} cards rendered`);
    assert.match(
      await page.textContent('[data-testid=page-range]'),
      new RegExp(`^\\s*1–${cards} of ${total}\\s*$`),
    );
    assert.equal(listRequests.at(-1).searchParams.get('limit'), '120');

    await page.click('[data-testid=next-page]');
    await page.waitForFunction(() =>
      /^\s*121–/.test(document.querySelector('[data-testid=page-range]').textContent),
    );
    assert.equal(listRequests.at(-1).searchParams.get('offset'), '120');

    await page.fill('[data-testid=search]', 'Fleet 09876');
    await page.waitForSelector('[data-device="fleet-09876"]');
    assert.equal(await page.locator('[data-device]').count(), 1);
    assert.equal(listRequests.at(-1).searchParams.get('q'), 'Fleet 09876');
    assert.equal(listRequests.at(-1).searchParams.get('offset'), '0');
    await shot(page, '31-fleet-10000-search');
    console.log(`10,000-device fleet: first page shown ${shownIn} ms after login started`);
    await page.context().close();
  });

  it('lists dead letters sent over MQTT with their reason, filters by reason, and replays one that is valid now', async () => {
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
    const row = (topic) => page.locator('tr[data-dead-letter]', { hasText: topic });
    assert.equal(
      await row(`devices/${dev}/temperature`).locator('[data-testid=reason]').textContent(),
      'INVALID_VALUE',
    );
    assert.equal(
      await row(`devices/${dev}/humidity`).locator('[data-testid=reason]').textContent(),
      'INVALID_JSON',
    );
    // a terminal escape is not rendered as text: the payload is shown as base64
    assert.match(await row(`devices/${dev}/pressure`).textContent(), /base64/);
    const chips = await page.$$eval('[data-testid=reason-counts] [data-reason]', (bs) =>
      bs.map((b) => `${b.getAttribute('data-reason')} ${b.querySelector('.count').textContent.trim()}`),
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
      await page.textContent('[data-testid=notice]'),
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
