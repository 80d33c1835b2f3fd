// What the browser tests share: each file runs against a real stack of its own (scripts/lib/web-stack: a fresh
// database, the built api serving the built dashboard, ingest, the broker) in the OS's Chromium.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { waitFor as poll } from '../../../scripts/lib/processes';
import { apiLogin as login, LoginAnswer } from '../../../scripts/lib/sessions';
import { launchBrowser, Stack, startStack } from '../../../scripts/lib/web-stack';
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
    fs.mkdirSync(SHOTS, { recursive: true });
    ctx.stack = await startStack({ databasePrefix: testDatabasePrefix(), apiEnv });
    ctx.browser = await launchBrowser();
  }, 600_000); // the first file of a run may build the dashboard (ng build)
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.stop();
  });
  return ctx;
}

async function newPage(browser: Browser, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('[browser error]', e.message));
  return page;
}

/**
 * A screenshot of a page state the test reached, which must also pass axe-core (expectAccessible) — unless `axe` is
 * false, for pages that are not the dashboard's (Swagger UI's own markup is not ours to fix).
 */
export async function shot(page: Page, name: string, { axe = true } = {}): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (axe) await expectAccessible(page, name);
}

/** Polls every 100 ms, retrying what throws meanwhile (a page navigating). */
export const waitFor = <T>(fn: () => T | Promise<T>, timeoutMs: number, what: string) =>
  poll(fn, timeoutMs, what, { everyMs: 100, retryErrors: true });

export type Point = [number, number];
export interface Series {
  id: string;
  data: Point[];
  markLine?: { data: { yAxis: number }[] };
  markArea?: { data: unknown[] };
  markPoint?: { data: { name: string }[] };
}
/** The element the chart component renders into, with the ECharts instance it exposes to tests. */
export type ChartElement = Element & {
  __shChart?: { getOption(): { series: Series[] }; dispatchAction(action: object): void };
};

/** The series ECharts is drawing, read from the chart instance of a metric's chart (default: the first chart). */
export async function chartSeries(page: Page, metric?: string): Promise<Series[] | null> {
  return page.evaluate((m) => {
    const el = (
      m ? document.querySelector(`[data-chart="${m}"] sh-chart`) : document.querySelector('sh-chart')
    ) as ChartElement | null;
    const chart = el && el.__shChart;
    if (!chart) return null;
    return chart.getOption().series.map((s) => ({ id: s.id, data: s.data }));
  }, metric);
}

/** Waits until the chart (of `metric`, default the first) draws series with data, and returns them. */
export function waitForChart(page: Page, metric?: string): Promise<Series[]> {
  return waitFor(
    async () => {
      const s = await chartSeries(page, metric);
      return s && s.length && s.some((x) => x.data.length) ? s : null;
    },
    20_000,
    'a chart with data',
  );
}

/** Zooms a metric's chart to [from, to] (ms) as dragging the zoom slider does. */
export function zoomChart(page: Page, metric: string, from: number, to: number): Promise<void> {
  return page.evaluate(
    ([m, s, e]) =>
      (document.querySelector(`[data-chart="${m}"] sh-chart`) as ChartElement).__shChart!.dispatchAction({
        type: 'dataZoom',
        startValue: s,
        endValue: e,
      }),
    [metric, from, to] as const,
  );
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

/**
 * axe-core over the page as it is now: fails with every serious or critical violation (rule, what it asks, the first
 * offending elements) so the message says what to fix. `state` names the page state in that message.
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
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
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
