// The built dashboard (apps/web/dist/browser), which the api serves: `npm start`, the browser tests and bench:web
// build it when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, WEB_DIST } from './paths';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** `ng build` when the built dashboard is missing or older than apps/web/src; `say` announces it. Throws if it fails. */
export function buildDashboardIfStale(say: (line: string) => void): void {
  const index = path.join(WEB_DIST, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (built >= newestMtime(path.join(ROOT, 'apps/web/src'))) return;
  say('building the dashboard (ng build; once, or after its sources change)…');
  const r = spawnSync(process.execPath, [require.resolve('@angular/cli/bin/ng.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  });
  if (r.status !== 0) throw new Error('ng build failed (see above)');
}
