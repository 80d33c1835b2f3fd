// A device's page: charts over ranges and zoom, live points, CSV export, editing, commands.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';

import {
  chartData,
  column,
  dragSelect,
  login,
  navigation,
  shot,
  useStack,
  waitFor,
  waitForChart,
} from './support';

const env = useStack();
const { newPage } = env;

describe('device detail', () => {
  it('draws the seeded series on the detail chart, with a min–max band when downsampled', async () => {
    const { stack } = env;
    const page = await newPage();
    const id = stack.devices[0].id;
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=now-24h&metrics=temperature`);
    await waitForChart(page);
    const day = await chartData(page, 'temperature');
    const line = column(day, 'Temperature (°C)');

    // 24 h of 5-minute readings fit maxPoints: the chart holds exactly the raw readings of the range
    const { rows } = await stack.db.query(
      `SELECT (extract(epoch FROM ts) * 1000)::float8 AS t, value FROM readings
       WHERE device_id = $1 AND metric = 'temperature' AND ts >= now() - interval '24 hours' ORDER BY ts`,
      [id],
    );
    // the table shows values at the catalog's decimals (temperature: 1)
    const drawn = line.filter(([t]) => t >= rows[0].t);
    const seeded = rows
      .filter((r) => r.t <= line.at(-1)![0])
      .map((r) => [r.t, Math.round(r.value * 10) / 10]);
    assert.ok(seeded.length >= 280, `seeded ${seeded.length}`);
    assert.deepEqual(drawn.slice(0, seeded.length), seeded);
    assert.ok(!day.columns.some((c) => c.endsWith(' min')), 'no band on raw readings');
    await shot(page, '07-detail-24h');

    // 30 days do not fit: buckets, drawn as average plus band
    await page.click('[data-range="now-30d"]');
    await page.waitForURL(/range=now-30d/);
    await waitForChart(page);
    const month = await chartData(page, 'temperature');
    const avg = column(month, 'Temperature (°C) avg');
    const lo = column(month, 'Temperature (°C) min');
    const hi = column(month, 'Temperature (°C) max');
    assert.ok(avg.length > 50 && avg.length <= 1000, `bucket count ${avg.length}`);
    for (let i = 0; i < avg.length; i++)
      assert.ok(lo[i][1] <= avg[i][1] && avg[i][1] <= hi[i][1], `bucket ${i} avg within band`);
    await shot(page, '08-detail-30d-band');

    // CSV export of the visible range: the raw readings, not the buckets
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=export-csv]'),
    ]);
    // named in the page's local time (Berlin), as the page shows times
    const stamp = (t: number) => {
      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Berlin',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        })
          .formatToParts(t)
          .map((x) => [x.type, x.value]),
      );
      return `${p.year}-${p.month}-${p.day}T${p.hour}${p.minute}`;
    };
    const name = download.suggestedFilename();
    assert.ok(
      [0, 60_000, 120_000].some((ago) => name.endsWith(`_${stamp(Date.now() - ago)}.csv`)),
      `file name ${name} ends at the local time ${stamp(Date.now())}`,
    );
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv[0], 'device_id,metric,ts,value,unit');
    const { rows: n } = await stack.db.query(
      `SELECT count(*)::int AS n FROM readings WHERE device_id = $1 AND metric = 'temperature'`,
      [id],
    );
    assert.ok(
      csv.length - 1 >= n[0].n - 2 && csv.length - 1 <= n[0].n,
      `${csv.length - 1} rows of ${n[0].n}`,
    );
    assert.ok(csv.slice(1).every((l) => l.startsWith(`${id},temperature,`) && l.endsWith(',°C')));
    await page.context().close();
  });

  it('requests the new range when the range changes, keeps it in the URL across a reload, and refetches on zoom', async () => {
    const { stack } = env;
    const page = await newPage();
    const id = stack.devices[0].id;
    // one entry per series key asked for; all of a range's metrics come in one GET /series (`device:*`: every metric)
    const requests: Record<string, string>[] = [];
    let calls = 0;
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname !== '/api/v1/series') return;
      calls++;
      for (const key of u.searchParams.get('series')!.split(','))
        requests.push({ ...Object.fromEntries(u.searchParams), metric: key.split(':')[1] });
    });
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=1h`);
    await waitForChart(page);
    const span = (q: Record<string, string>) => Date.parse(q.to) - Date.parse(q.from);
    await waitFor(() => requests.some((q) => q.metric === '*'), 5000, 'first request');
    assert.equal(span(requests.find((q) => q.metric === '*')!), 3_600_000);
    assert.ok(requests.every((q) => q.tz === 'Europe/Berlin'));

    requests.length = 0;
    calls = 0;
    await page.click('[data-range="now-7d"]');
    await page.waitForURL(/range=now-7d/);
    await waitFor(() => requests.length >= 1, 5000, 'requests for the new range');
    for (const q of requests) assert.equal(span(q), 7 * 86_400_000);
    assert.deepEqual(
      requests.map((q) => q.metric),
      ['*'],
    );
    assert.equal(calls, 1);
    assert.deepEqual(
      await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart'))),
      ['humidity', 'temperature'],
    );

    await page.reload();
    await waitForChart(page);
    assert.equal(await page.getAttribute('[data-range="now-7d"]', 'aria-pressed'), 'true');

    // custom from–to
    requests.length = 0;
    await page.click('[data-range=custom]');
    const from = new Date(Date.now() - 2 * 86_400_000);
    const to = new Date(Date.now() - 86_400_000);
    // <input type=datetime-local> takes the browser's local time (Europe/Berlin here)
    const localInput = (t: number) =>
      page.evaluate((ms) => {
        const d = new Date(ms);
        const p = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      }, t);
    const fromLocal = await localInput(from.getTime());
    const toLocal = await localInput(to.getTime());
    await page.fill('[data-testid=custom-range] input[name=from]', fromLocal);
    await page.fill('[data-testid=custom-range] input[name=to]', toLocal);
    await page.click('[data-testid=custom-range] button[type=submit]');
    await page.waitForURL(/from=.*&to=|to=.*&from=/);
    await waitFor(() => requests.length >= 1, 5000, 'custom range requests');
    assert.ok(Math.abs(span(requests[0]) - 86_400_000) < 60_000);

    // drag across the chart: the selected window is fetched again at finer resolution
    await page.click('[data-range="now-30d"]');
    await page.waitForURL(/range=now-30d/);
    await waitForChart(page);
    requests.length = 0;
    await dragSelect(page, 'temperature', 0.5, 0.53);
    await page.waitForURL(/zoomFrom=.*zoomTo=/);
    const url = new URL(page.url());
    const zoomFrom = Date.parse(url.searchParams.get('zoomFrom')!);
    const zoomTo = Date.parse(url.searchParams.get('zoomTo')!);
    assert.ok(zoomTo - zoomFrom < 3 * 86_400_000, `a window of ${(zoomTo - zoomFrom) / 3_600_000} h`);
    await waitFor(() => requests.some((q) => span(q) < 3 * 86_400_000), 5000, 'a zoomed request');
    const zq = requests.find((q) => span(q) < 3 * 86_400_000)!;
    assert.equal(Date.parse(zq.from), zoomFrom);
    assert.equal(Date.parse(zq.to), zoomTo);
    // the zoomed window now holds finer points than the 30-day buckets: the table lists the window's rows
    await waitForChart(page);
    const zoomed = await chartData(page, 'temperature');
    assert.ok(zoomed.times.every((t) => t >= zoomFrom && t <= zoomTo));
    const step = (zoomed.times.at(-1)! - zoomed.times[0]) / (zoomed.times.length - 1);
    assert.ok(step <= 30 * 60_000, `points every ${step / 60_000} min`);
    await page.waitForSelector('text=Reset zoom');
    await shot(page, '09-detail-zoomed');
    await page.context().close();
  });

  it('appends live points to a chart whose range ends now', async () => {
    const { stack } = env;
    const page = await newPage();
    const id = stack.devices[0].id;
    await login(page, stack.baseUrl, stack.users.viewer, `/devices/${id}?range=now-15m&metrics=humidity`);
    await waitForChart(page);
    await waitFor(
      () => page.evaluate(() => document.querySelector('.live.open') !== null),
      10_000,
      'live stream open',
    );
    const ts = Date.now();
    await stack.publish(`devices/${id}/humidity`, { value: 77, ts: new Date(ts).toISOString() });
    await waitFor(
      async () => {
        await waitForChart(page);
        const data = await chartData(page, 'humidity');
        return column(data, 'Relative humidity (%)').some(([t, v]) => t === ts && v === 77);
      },
      15_000,
      'the live point on the chart',
    );
    await shot(page, '10-detail-live');
    await page.context().close();
  });

  it("offers an offline device's last day of data, shows it not live, and warns before commands that wait for it", async () => {
    const { stack } = env;
    const id = stack.devices[1].id; // offline, its last reading 3 h ago
    const topic = `devices/${id}/cmd`;
    const sub = await stack.subscribe(topic);
    try {
      const page = await newPage();
      await login(page, stack.baseUrl, stack.users.operator, `/devices/${id}?range=now-1h`);
      const offer = page.locator('[data-testid=last-day-offer]');
      await offer.waitFor();
      assert.match((await offer.textContent())!, /No readings in this range.*Its last reading came on \d/s);
      assert.equal(await page.locator('[data-testid=live-tag]').count(), 0, 'no live tag');
      await offer.locator('button:has-text("Show its last day of data")').click();
      await page.waitForURL(/from=.*&to=|to=.*&from=/);
      await waitForChart(page);
      const url = new URL(page.url());
      const to = Date.parse(url.searchParams.get('to')!);
      assert.equal(to - Date.parse(url.searchParams.get('from')!), 86_400_000);
      const { rows } = await stack.db.query(
        `SELECT (extract(epoch FROM max(ts)) * 1000)::float8 AS last FROM readings WHERE device_id = $1`,
        [id],
      );
      assert.ok(to > rows[0].last && to - rows[0].last <= 60_000, 'the day ends at the last reading');
      const data = await chartData(page, 'temperature');
      assert.ok(Math.abs(data.times.at(-1)! - rows[0].last) < 1, 'the last reading is the last point drawn');
      assert.equal(await page.locator('[data-testid=live-tag]').count(), 0);

      // a command to it waits at the broker; reboot asks and says so; the history says what is known
      const form = page.locator('[data-testid=device-command]');
      assert.match((await page.locator('[data-testid=command-offline]').textContent())!, /offline/);
      await form.locator('[data-command=reboot]').click();
      await form.locator('button[type=submit]').click();
      assert.match(
        (await form.locator('.confirm').textContent())!,
        /It is offline: it reboots when it reconnects/,
      );
      await page.click('[data-testid=confirm-reboot]');
      const history = page.locator('[data-testid=command-history] li');
      await history.first().waitFor();
      assert.match(
        (await history.first().textContent())!.replace(/\s+/g, ' ').trim(),
        /^reboot · \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} · waiting at the broker until the device reconnects · no acknowledgement$/,
      );
      await waitFor(() => sub.messages.length >= 1, 10_000, 'the reboot on MQTT');
      assert.deepEqual(JSON.parse(sub.messages[0].payload), { command: 'reboot' });
      await shot(page, '47-detail-offline-last-day-command');
      await page.context().close();
    } finally {
      await sub.unsubscribe();
    }
  });

  it('lets an operator edit a device (name, location, metadata), which a viewer then sees', async () => {
    const { stack } = env;
    const op = await newPage();
    const id = stack.devices[1].id;
    await login(op, stack.baseUrl, stack.users.operator, `/devices/${id}`);
    assert.deepEqual(await navigation(op), ['Devices', 'Alerts', 'Dead letters']);
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
        ds.map((d) => [
          d.querySelector('dt')!.textContent!.trim(),
          d.querySelector('dd')!.textContent!.trim(),
        ]),
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
    assert.equal((await viewer.locator('[data-testid=metadata] dd').textContent())!, 'M2, north side');
    await shot(viewer, '20-detail-viewer-metadata');
    await viewer.context().close();
  });

  it('lets an operator send commands that arrive on the device topic, and gives a viewer no command controls', async () => {
    const { stack } = env;
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
      assert.match((await page.locator('[data-testid=command-result].error').textContent())!, /5 to 86400/);
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
        (await page.locator('[data-testid=command-result].error').textContent())!.trim(),
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
});
