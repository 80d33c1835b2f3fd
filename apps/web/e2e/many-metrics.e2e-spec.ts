// A device with 16 metrics, as an operator sees it at 1440×900: a card that stays compact, a chart per metric in a
// colour of its own, units from the metric catalog, and Overlay keeping each chart to two units.
// Against a real stack in Chromium (apps/web/e2e/support.ts); screenshots in apps/web/e2e/screenshots/.
import assert from 'node:assert/strict';

import { refreshHourlyRollup } from '@sensorhub/domain';

import { login, shot, useStack, waitForChart } from './support';

const env = useStack();
const WIDE = { width: 1440, height: 900 };
// the catalog's (config/metrics.yaml) first, then nine it does not list
const METRICS = ['temperature', 'humidity', 'pressure', 'co2', 'battery', 'heart_rate', 'rssi'].concat(
  Array.from({ length: 9 }, (_, i) => `probe_${i + 8}`),
);

/** each series' legend name and swatch colour, chart by chart */
const legends = (page: import('playwright-core').Page) =>
  page.$$eval('[data-chart]', (panels) =>
    panels.map((p) =>
      [...p.querySelectorAll('[data-testid=legend-stats] tbody th')].map((th) => ({
        name: th.textContent!.trim(),
        colour: getComputedStyle(th.querySelector('.swatch')!).backgroundColor,
      })),
    ),
  );

describe('a device with 16 metrics', () => {
  it('keeps its card compact, draws each metric in its own colour with its unit, and overlays two units per chart', async () => {
    const { stack } = env;
    const id = 'rack-16';
    await stack.db.query(
      `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online, battery)
       VALUES ($1, 'Lab rack', 'Lab', now() - interval '3 days', now(), 'ok', true, 90)`,
      [id],
    );
    await stack.db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT $1, m, g.ts, k * 10 + 3 * sin(extract(epoch FROM g.ts) / 3600 + k)
       FROM unnest($2::text[]) WITH ORDINALITY AS u(m, k),
            generate_series(now() - interval '1 day', now() - interval '1 minute', interval '10 minutes') AS g(ts)`,
      [id, METRICS],
    );
    await refreshHourlyRollup(stack.db);
    const page = await env.newPage(WIDE);
    await login(page, stack.baseUrl, stack.users.viewer);
    const card = page.locator(`[data-device="${id}"]`);
    await card.locator('sh-sparkline path').first().waitFor();
    // six metrics on the card and the rest counted; a value with the catalog's unit
    assert.equal(await card.locator('li[data-metric]').count(), 6);
    assert.equal((await card.locator('[data-testid=more-metrics]').textContent())!.trim(), '+10 more');
    assert.match(
      (await card.locator('li[data-metric=co2] [data-testid=metric-value]').textContent())!,
      / ppm$/,
    );
    await shot(page, '54-sixteen-metrics-overview');

    await card.click();
    await waitForChart(page);
    const separate = (await legends(page)).flat();
    assert.equal(separate.length, 16);
    assert.equal(new Set(separate.map((s) => s.colour)).size, 16, JSON.stringify(separate));
    // display names and units from the catalog; a metric it does not list by its name, without unit
    for (const name of ['Temperature (°C)', 'CO₂ (ppm)', 'Signal strength (dBm)', 'probe_8'])
      assert.ok(
        separate.some((s) => s.name === name),
        `${name} in ${separate.map((s) => s.name)}`,
      );
    await shot(page, '55-sixteen-metrics-detail');

    await page.locator('button', { hasText: 'Overlay' }).click();
    await page.waitForURL((u) => u.searchParams.get('view') === 'overlay');
    await waitForChart(page);
    const overlay = await legends(page);
    const unitsPerChart = overlay.map(
      (series) => new Set(series.map((s) => /\(([^)]+)\)$/.exec(s.name)?.[1] ?? '')).size,
    );
    assert.ok(
      unitsPerChart.every((n) => n <= 2),
      `units per chart: ${unitsPerChart}`,
    );
    // unlisted metrics in natural order, numbers by value: probe_8 … probe_16, not probe_10 before probe_8
    assert.deepEqual(
      overlay
        .flat()
        .map((s) => s.name)
        .filter((n) => n.startsWith('probe_')),
      Array.from({ length: 9 }, (_, i) => `probe_${i + 8}`),
    );
    // every unit has its own y axis (left or right), so % and °C never share one
    const sameColours = overlay.flat().map((s) => s.colour);
    assert.deepEqual(
      sameColours.sort(),
      separate.map((s) => s.colour).sort(),
      'each metric keeps its colour',
    );
    await shot(page, '56-sixteen-metrics-overlay');
    await page.context().close();
  });
});
