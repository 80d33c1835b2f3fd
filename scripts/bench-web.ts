/**
 * Dashboard figures against the real stack (api + ingest + PostgreSQL + broker, 30 days of 5-minute readings): the
 * production bundle's initial JavaScript (gzipped); Lighthouse's mobile performance of the overview and of a device
 * page over 30 days (cold cache, signed in); the time to the first and to all charts of a 12-metric device over 30
 * days in Chromium. Prints figures only. BENCH_RUNS (default 5) cold page loads for the chart times; BENCH_LIGHTHOUSE=0
 * skips Lighthouse; BENCH_LIGHTHOUSE_REPORTS=DIR writes each page's whole Lighthouse report there (JSON);
 * BENCH_TRACE=1 prints each chart run's timeline (charts present/ready, ms) and its requests (start–end, bytes). The dashboard is built first if its sources changed. TEST_DATABASE_URL / TEST_MQTT_URL: the
 * PostgreSQL server and broker to use (as for the tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { refreshHourlyRollup } from '@sensorhub/domain';
import type { Client } from 'pg';
import type { Page } from 'playwright-core';

import { buildDashboardIfStale } from './lib/dashboard';
import { lighthouseSession, PerformanceScore } from './lib/lighthouse';
import { WEB_DIST } from './lib/paths';
import { apiLogin } from './lib/sessions';
import { launchBrowser, startStack } from './lib/web-stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The scripts index.html loads at start-up: <script src> and <link rel=modulepreload>. */
function initialScripts(): string[] {
  const html = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+\.js)"[^>]*rel="modulepreload"/g)) files.add(m[1]);
  return [...files];
}

function gzipSize(file: string): number {
  return zlib.gzipSync(fs.readFileSync(path.join(WEB_DIST, file)), { level: 9 }).length;
}

async function main() {
  buildDashboardIfStale((line) => console.log(line));
  const files = initialScripts();
  const sizes = files.map((f) => ({ f, raw: fs.statSync(path.join(WEB_DIST, f)).size, gz: gzipSize(f) }));
  const lazy = fs.readdirSync(WEB_DIST).filter((f) => f.endsWith('.js') && !files.includes(f));
  const lazyGz = lazy.reduce((n, f) => n + gzipSize(f), 0);
  console.log('initial JavaScript (index.html scripts + modulepreloads):');
  for (const s of sizes)
    console.log(`  ${s.f.padEnd(28)} ${kb(s.raw).padStart(10)} raw ${kb(s.gz).padStart(10)} gzip`);
  console.log(
    `  total: ${kb(sizes.reduce((n, s) => n + s.raw, 0))} raw, ${kb(sizes.reduce((n, s) => n + s.gz, 0))} gzip (budget 120 KB gzip)`,
  );
  console.log(
    `lazy chunks: ${lazy.length} files, ${kb(lazyGz)} gzip (ECharts among them, loaded by the first chart)`,
  );

  const stack = await startStack({ seedDays: 30, databasePrefix: 'sensorhub_bench_web_' });
  try {
    const wide = await seedWideDevice(stack.db);
    if (process.env.BENCH_LIGHTHOUSE !== '0') {
      const lh = await lighthouseSession(stack.baseUrl, stack.users.viewer);
      try {
        const pages = [
          ['overview', '/devices'],
          ['device page, 30 days (2 metrics)', `/devices/${stack.devices[0].id}?range=30d`],
          ['device page, 30 days (12 metrics)', `/devices/${wide}?range=30d`],
        ];
        const reports = process.env.BENCH_LIGHTHOUSE_REPORTS;
        if (reports) fs.mkdirSync(reports, { recursive: true });
        for (const [i, [name, page]] of pages.entries()) {
          const file = reports ? path.join(reports, `lighthouse-${i + 1}.json`) : undefined;
          printScore(name, await lh.mobilePerformance(stack.baseUrl + page, file));
        }
      } finally {
        await lh.close();
      }
    }
    await chartTimes(stack, wide);
  } finally {
    await stack.stop();
  }
}

const METRICS = [
  'temperature',
  'humidity',
  'pressure',
  'co2',
  'battery',
  'rssi',
  'voltage',
  'current',
  'power',
  'lux',
  'soil_moisture',
  'wind_speed',
];

/** A device with 12 metrics of 30 days of 5-minute readings (103,680 rows), and the rollups the api reads. */
async function seedWideDevice(db: Client): Promise<string> {
  const id = `wide-${process.pid}`;
  await db.query(
    `INSERT INTO devices (id, name, first_seen, last_seen, status, online) VALUES ($1, 'Twelve metrics', now() - interval '30 days', now(), 'ok', true)`,
    [id],
  );
  await db.query(
    `INSERT INTO readings (device_id, metric, ts, value)
     SELECT $1, m, g, i * 10 + 5 * sin(extract(epoch FROM g) / (3000 + 500 * i))
     FROM unnest($2::text[]) WITH ORDINALITY AS x(m, i),
          generate_series(date_bin('5 minutes', now() - interval '30 days', 'epoch'), now() - interval '1 minute', interval '5 minutes') g`,
    [id, METRICS],
  );
  await refreshHourlyRollup(db);
  return id;
}

function printScore(name: string, s: PerformanceScore): void {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `Lighthouse ${s.version} mobile performance, ${name}: ${s.score} (target 90) — FCP ${sec(s.fcp)}, LCP ${sec(s.lcp)}, ` +
      `TBT ${Math.round(s.tbt)} ms, SI ${sec(s.si)}, CLS ${s.cls.toFixed(3)}`,
  );
}

/**
 * Cold loads of the 12-metric device's 30-day page: from navigation start to the first chart and to all 12 charts
 * drawn with their data (the chart component's data-state="ready").
 */
async function chartTimes(stack: Awaited<ReturnType<typeof startStack>>, id: string): Promise<void> {
  const browser = await launchBrowser();
  try {
    const { body: token } = await apiLogin(
      stack.baseUrl,
      stack.users.viewer.email,
      stack.users.viewer.password,
    );
    if (!token) throw new Error('the viewer could not sign in');
    const session = {
      token: token.accessToken,
      expiresAt: Date.now() + token.expiresIn * 1000,
      user: token.user,
    };
    const first: number[] = [];
    const all: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // a fresh context: empty HTTP cache, so every run loads the app and ECharts from the server
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript(
        ([s, n]) => {
          localStorage.setItem('sensorhub.session', s);
          const w = window as unknown as { __bench?: { first?: number; all?: number; trace: string[] } };
          w.__bench = { trace: [] };
          // what the largest contentful paint was, and when: Lighthouse scores it
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as (PerformanceEntry & { element?: Element })[]) {
              const el = e.element;
              const what = el ? `${el.tagName.toLowerCase()}.${el.className}` : '?';
              w.__bench!.trace.push(`${Math.round(e.startTime)} LCP ${what}`);
            }
          }).observe({ type: 'largest-contentful-paint', buffered: true });
          const tick = () => {
            const charts = [...document.querySelectorAll('sh-chart')];
            const ready = charts.filter((c) => c.getAttribute('data-state') === 'ready').length;
            const seen = `${charts.length}/${ready}`;
            if (!w.__bench!.trace.at(-1)?.endsWith(` ${seen}`))
              w.__bench!.trace.push(`${Math.round(performance.now())} ${seen}`);
            if (ready > 0) w.__bench!.first ??= performance.now();
            if (charts.length >= n && ready === charts.length) w.__bench!.all = performance.now();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        },
        [JSON.stringify(session), METRICS.length] as const,
      );
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/devices/${id}?range=30d`);
      const t = (await (
        await page.waitForFunction(
          () =>
            (window as unknown as { __bench: { first?: number; all?: number } }).__bench.all &&
            (window as unknown as { __bench: object }).__bench,
          undefined,
          { timeout: 60_000 },
        )
      ).jsonValue()) as { first: number; all: number; trace: string[] };
      if (process.env.BENCH_TRACE) await printTrace(page, t.trace);
      first.push(t.first);
      all.push(t.all);
      await context.close();
    }
    const median = (l: number[]) => Math.round([...l].sort((a, b) => a - b)[Math.floor(l.length / 2)]);
    const range = (l: number[]) => `${Math.round(Math.min(...l))}–${Math.round(Math.max(...l))}`;
    console.log(
      `charts of a 12-metric device over 30 days (cold cache, 1280×860, ${RUNS} runs, from navigation start):`,
    );
    console.log(`  first chart: median ${median(first)} ms (${range(first)}; target < 600 ms)`);
    console.log(`  all 12 charts: median ${median(all)} ms (${range(all)}; target < 800 ms)`);
  } finally {
    await browser.close();
  }
}

/** a run's timeline: when charts appeared and turned ready (ms: present/ready), and each request's timing */
async function printTrace(page: Page, trace: string[]): Promise<void> {
  const requests = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e as PerformanceResourceTiming)
      .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize })),
  );
  console.log(`  charts: ${trace.join(' | ')}`);
  for (const r of requests)
    console.log(
      `    ${new URL(r.url).pathname.padEnd(32)} ${Math.round(r.start)}–${Math.round(r.end)} ms ${kb(r.bytes)}`,
    );
}

main().catch((e: Error) => {
  console.error(`bench:web: ${e.message}`);
  process.exit(1);
});
