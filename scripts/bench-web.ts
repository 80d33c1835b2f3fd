/**
 * Dashboard figures: the production bundle's initial JavaScript (gzipped), and the time to first chart of a 30-day
 * range in Chromium against the real stack (api + ingest + PostgreSQL + broker, 30 days of 5-minute readings).
 * Prints figures only. BENCH_RUNS (default 5) cold page loads. The dashboard is built first if its sources changed.
 * TEST_DATABASE_URL / TEST_MQTT_URL: the PostgreSQL server and broker to use (as for the tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { buildDashboardIfStale } from './lib/dashboard';
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
    `  total: ${kb(sizes.reduce((n, s) => n + s.raw, 0))} raw, ${kb(sizes.reduce((n, s) => n + s.gz, 0))} gzip (budget 400 KB gzip)`,
  );
  console.log(
    `lazy chunks: ${lazy.length} files, ${kb(lazyGz)} gzip (ECharts among them, loaded by the first chart)`,
  );

  const stack = await startStack({ seedDays: 30, databasePrefix: 'sensorhub_bench_web_' });
  const browser = await launchBrowser();
  try {
    const id = stack.devices[0].id;
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
    const { rows } = await stack.db.query('SELECT count(*)::int AS n FROM readings WHERE device_id = $1', [
      id,
    ]);

    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // a fresh context: empty HTTP cache, so every run loads the app and ECharts from the server
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript(
        (s) => localStorage.setItem('sensorhub.session', s),
        JSON.stringify(session),
      );
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${stack.baseUrl}/devices/${id}?range=30d`);
      // every chart has drawn its data (the chart component's data-state)
      await page.waitForFunction(
        () => {
          const els = document.querySelectorAll('sh-chart');
          return els.length > 0 && [...els].every((el) => el.getAttribute('data-state') === 'ready');
        },
        undefined,
        { timeout: 30_000, polling: 'raf' },
      );
      times.push(Date.now() - t0);
      await context.close();
    }
    times.sort((a, b) => a - b);
    console.log(
      `time to first chart, 30-day range (${rows[0].n} readings over 2 metrics, cold cache, ${RUNS} runs):`,
    );
    console.log(
      `  median ${times[Math.floor(times.length / 2)]} ms, min ${times[0]} ms, max ${times.at(-1)} ms`,
    );
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((e: Error) => {
  console.error(`bench:web: ${e.message}`);
  process.exit(1);
});
