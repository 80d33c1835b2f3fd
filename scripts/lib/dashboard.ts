// The built dashboard (apps/web/dist/browser), which the api serves: `npm start`, the browser tests and bench:web
// build it when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { ROOT, WEB_DIST } from './paths';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * How the dashboard is built for serving (as `npm run build:web` does): Angular's chunk optimizer merges esbuild's
 * small shared chunks (rolldown), so the initial JavaScript is one file instead of eleven — fewer round trips before
 * the first paint on a phone's connection (Lighthouse mobile FCP 2.0-2.2 -> 1.5-1.7 s on the overview and device
 * pages).
 */
export const DASHBOARD_BUILD_ENV = { NG_BUILD_OPTIMIZE_CHUNKS: '1' };

/**
 * `ng build` when the built dashboard is missing or older than apps/web/src, then its compressed copies (also for a
 * build made by a bare `ng build`); `say` announces it. Throws if it fails.
 */
export function buildDashboardIfStale(say: (line: string) => void): void {
  const index = path.join(WEB_DIST, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (built >= newestMtime(path.join(ROOT, 'apps/web/src'))) {
    if (!fs.readdirSync(WEB_DIST).some((f) => f.endsWith('.br'))) precompressDashboard();
    return;
  }
  say('building the dashboard (ng build; once, or after its sources change)…');
  const r = spawnSync(process.execPath, [require.resolve('@angular/cli/bin/ng.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', ...DASHBOARD_BUILD_ENV },
  });
  if (r.status !== 0) throw new Error('ng build failed (see above)');
  precompressDashboard();
}

/** what is worth compressing: text files of 1 KiB and more (index.html is sent per request, compressed then) */
const COMPRESSIBLE = /\.(js|css|svg|txt|json|map)$/;
const MIN_BYTES = 1024;

/**
 * Writes `file.br` (brotli at quality 11) and `file.gz` (gzip level 9) beside each of the built dashboard's text
 * files: compressed once at build time at the best ratio instead of per request at a fast level (ECharts' chunk:
 * 215 KB at the api's per-request brotli, 180 KB at 11). The api (express-static-gzip) and nginx (gzip_static) send
 * them as they are. Returns the bytes before and after brotli.
 */
export function precompressDashboard(dir = WEB_DIST): { raw: number; br: number; files: number } {
  const total = { raw: 0, br: 0, files: 0 };
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (!COMPRESSIBLE.test(name) || !fs.statSync(file).isFile()) continue;
    const body = fs.readFileSync(file);
    if (body.length < MIN_BYTES) continue;
    const br = zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
    fs.writeFileSync(`${file}.br`, br);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
    total.raw += body.length;
    total.br += br.length;
    total.files++;
  }
  return total;
}
