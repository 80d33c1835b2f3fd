// What the browser tests share: each file runs against a real stack of its own (scripts/lib/web-stack: a fresh
// database, the built api serving the built dashboard, ingest, the broker) in the OS's Chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { waitFor as poll } from '../../../scripts/lib/processes';
import { apiLogin as login, LoginAnswer } from '../../../scripts/lib/sessions';
import { launchBrowser, Stack, startStack } from '../../../scripts/lib/web-stack';

export { launchBrowser } from '../../../scripts/lib/web-stack';
import { testDatabasePrefix } from '../../../test/support/database';

export { signIn as login } from '../../../scripts/lib/web-stack';

export const SHOTS = path.join(__dirname, 'screenshots');
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface StackUnderTest {
  stack: Stack;
  browser: Browser;
  /** a page in a context of its own (Berlin time, British English), browser errors logged */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** signs in through the API; the answer (status and body) tells whether the password is accepted */
  apiLogin(email: string, password: string): Promise<LoginAnswer>;
}

/** A stack and a browser for this file: started before its tests, stopped after them; `apiEnv`: the api's settings. */
export function useStack({ apiEnv }: { apiEnv?: Record<string, string> } = {}): StackUnderTest {
  jest.setTimeout(120_000);
  const ctx: StackUnderTest = {
    stack: undefined as unknown as Stack,
    browser: undefined as unknown as Browser,
    newPage: (viewport) => newPage(ctx.browser, viewport),
    apiLogin: (email, password) => login(ctx.stack.baseUrl, email, password),
  };
  beforeAll(async () => {
    fs.mkdirSync(path.join(SHOTS, 'other-scheme'), { recursive: true });
    ctx.stack = await startStack({ databasePrefix: testDatabasePrefix(), apiEnv });
    ctx.browser = await launchBrowser();
  }, 600_000); // the first file of a run may build the dashboard (ng build)
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.stop();
  });
  return ctx;
}

/**
 * A page in a context of its own, Berlin time, in `locale` — which must be the language `browser` was launched in
 * (launchBrowser(lang)): the context's locale sets navigator.languages, the launch language Chromium's date fields.
 */
export async function newPage(browser: Browser, viewport = DESKTOP, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'Europe/Berlin', locale });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[browser error]', e.message));
  return page;
}

/**
 * A screenshot of a page state the test reached, which must also pass axe-core (expectAccessible) in both colour
 * schemes — the other one drawn just for the check (its screenshot in screenshots/other-scheme/) — unless `axe` is
 * false, for pages that are not the dashboard's (Swagger UI's own markup is not ours to fix).
 */
export async function shot(page: Page, name: string, { axe = true } = {}): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (!axe) return;
  await expectAccessible(page, name);
  await inOtherScheme(page, async (scheme) => {
    await page.screenshot({ path: path.join(SHOTS, 'other-scheme', `${name}.png`), fullPage: true });
    await expectAccessible(page, `${name} (${scheme})`);
  });
}

/**
 * Runs `fn` with the page drawn in the other colour scheme, then puts the page's scheme back: the system's
 * preference emulated when the user has not chosen one (the app follows it, charts included), else the user's choice
 * (data-theme on <html>) swapped.
 */
async function inOtherScheme(page: Page, fn: (scheme: 'light' | 'dark') => Promise<void>): Promise<void> {
  const { chosen, systemDark } = await page.evaluate(() => ({
    chosen: document.documentElement.dataset['theme'] ?? null,
    systemDark: matchMedia('(prefers-color-scheme: dark)').matches,
  }));
  const current = (chosen ?? (systemDark ? 'dark' : 'light')) === 'dark' ? 'dark' : 'light';
  const other = current === 'dark' ? 'light' : 'dark';
  const setChosen = (v: string) => page.evaluate((t) => (document.documentElement.dataset['theme'] = t), v);
  if (chosen) await setChosen(other);
  else await page.emulateMedia({ colorScheme: other });
  try {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await fn(other);
  } finally {
    if (chosen) await setChosen(chosen);
    else await page.emulateMedia({ colorScheme: current });
  }
}

/** Polls every 100 ms, retrying what throws meanwhile (a page navigating). */
export const waitFor = <T>(fn: () => T | Promise<T>, timeoutMs: number, what: string) =>
  poll(fn, timeoutMs, what, { everyMs: 100, retryErrors: true });

/** The panel of a metric's chart (`[data-chart=<metric>]`), or the first panel. */
const panelSelector = (metric?: string) => (metric ? `[data-chart="${metric}"]` : '[data-chart]');

/** Waits until the chart of `metric` (default: every chart on the page) has drawn its current data. */
export async function waitForChart(page: Page, metric?: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    () =>
      page.evaluate(
        (sel) => {
          const charts = [...document.querySelectorAll(sel)];
          return charts.length > 0 && charts.every((c) => c.getAttribute('data-state') === 'ready');
        },
        `${metric ? panelSelector(metric) + ' ' : ''}sh-chart`,
      ),
    timeoutMs,
    `a drawn chart${metric ? ' of ' + metric : ''}`,
  );
}

export interface ChartData {
  columns: string[];
  /** epoch ms of each row */
  times: number[];
  /** cell values as numbers (NaN where a series has no value at that time) */
  rows: number[][];
  /** thresholds and alerts in words */
  marks: string[];
}

/**
 * What a chart shows, read from its data-table view (the text alternative every chart has): opens the table of the
 * metric's panel (default: the first), reads it and switches back to the chart.
 */
export async function chartData(page: Page, metric?: string): Promise<ChartData> {
  const panel = page.locator(panelSelector(metric)).first();
  await panel.locator('[data-testid=table-toggle]').click();
  const table = panel.locator('[data-testid=chart-table]');
  await table.waitFor();
  const data = await panel.evaluate((el) => {
    const columns = [...el.querySelectorAll('[data-testid=chart-table] thead th')].map((th) =>
      th.textContent!.trim(),
    );
    const trs = [...el.querySelectorAll('[data-testid=chart-table] tbody tr[data-t]')];
    return {
      columns,
      times: trs.map((tr) => Number(tr.getAttribute('data-t'))),
      cells: trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent!.trim())),
      marks: [...el.querySelectorAll('[data-testid=chart-marks] li')].map((li) => li.textContent!.trim()),
    };
  });
  await panel.locator('[data-testid=table-toggle]').click();
  await panel.locator('sh-chart').waitFor();
  const num = (s: string) => (s === '' ? NaN : Number(s.replace(/,/g, '')));
  return {
    columns: data.columns,
    times: data.times,
    rows: data.cells.map((r) => r.map(num)),
    marks: data.marks,
  };
}

/** One series' column of a chart's data (`Temperature (°C) avg`, …) as [time, value] pairs, blanks left out. */
export function column(data: ChartData, name: string): [number, number][] {
  const i = data.columns.indexOf(name) - 1;
  if (i < 0) throw new Error(`no column "${name}" in ${JSON.stringify(data.columns)}`);
  return data.rows
    .map((r, k) => [data.times[k], r[i]] as [number, number])
    .filter(([, v]) => !Number.isNaN(v));
}

/**
 * Zooms a metric's chart as a user does: a drag across the plot from one x position to another, given as fractions
 * of the canvas width (ECharts' zoom select).
 */
export async function dragSelect(page: Page, metric: string, fromX: number, toX: number): Promise<void> {
  const box = (await page
    .locator(`${panelSelector(metric)} sh-chart canvas`)
    .first()
    .boundingBox())!;
  const y = box.y + box.height * 0.4;
  await page.mouse.move(box.x + box.width * fromX, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((fromX + toX) / 2), y, { steps: 5 });
  await page.mouse.move(box.x + box.width * toX, y, { steps: 5 });
  await page.mouse.up();
}

/** The labels of the main navigation. */
export const navigation = (page: Page): Promise<string[]> =>
  page.$$eval('nav[aria-label=Main] a', (as) => as.map((a) => a.textContent!.trim()));

// evaluated, not added as a <script>: the dashboard's CSP (script-src 'self') refuses inline scripts, rightly
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** minor rules that fail too: issue 14 named them (a column of buttons needs a header a screen reader can say) */
const ALSO_FAILING = ['empty-table-header'];

/**
 * axe-core over the page as it is now: fails with every serious or critical violation, and ALSO_FAILING's (rule, what
 * it asks, the first offending elements) so the message says what to fix. `state` names the page state in it.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const grave = violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical' || ALSO_FAILING.includes(v.id),
  );
  if (!grave.length) return;
  const lines = grave.map(
    (v) =>
      `- ${v.impact} ${v.id} (${v.help}) on ${v.nodes.length} element(s): ` +
      v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}`)
        .join('; '),
  );
  throw new Error(
    `axe-core: ${state} has serious or critical accessibility violations:\n${lines.join('\n')}`,
  );
}
