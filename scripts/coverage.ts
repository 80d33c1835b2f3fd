/**
 * `npm run coverage`: reports the coverage the last `npm test` collected — Jest's in-process coverage and the child
 * processes' (ingest, api and scripts run from dist/ under NODE_V8_COVERAGE), merged per TypeScript source file, and
 * the web app's Vitest coverage. Prints statements and branches per app and exits 1 if any is under the threshold.
 * `npm run coverage -- --files` lists every source file. HTML: coverage/node/index.html (api, ingest, domain),
 * coverage/web/index.html (web).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CoverageReport } from 'monocart-coverage-reports';
import * as ts from 'typescript';

import * as cov from './lib/coverage-options';

interface Count {
  covered: number;
  total: number;
}
interface AppCoverage {
  statements: Count;
  branches: Count;
  files: number;
  perFile: { path: string; statements: Count; branches: Count }[];
}

const THRESHOLD = Number(process.env.COVERAGE_THRESHOLD ?? 80);
const SHOW_FILES = process.argv.includes('--files');

// untested sources are compiled as the apps are (decorators and all), so their counts match the tested ones'
const COMPILER_OPTIONS = ts.parseJsonConfigFileContent(
  ts.readConfigFile(path.join(cov.ROOT, 'tsconfig.base.json'), ts.sys.readFile).config,
  ts.sys,
  cov.ROOT,
).options;

async function nodeApps(): Promise<Record<string, AppCoverage> | undefined> {
  const inputs = [path.join(cov.JEST_DIR, '.cache')].filter((d) => fs.existsSync(d));
  if (!inputs.length && !fs.existsSync(cov.V8_DIR)) return undefined;
  const report = new CoverageReport({
    ...cov.options,
    outputDir: path.join(cov.DIR, 'node'),
    inputDir: inputs,
    reports: [['v8'], ['lcovonly']],
    // a source no test loaded still counts, at 0 %
    all: {
      dir: Object.values(cov.NODE_APPS).map((d) => path.join(cov.ROOT, d)),
      filter: (p: string) => cov.isSource(path.relative(cov.ROOT, p).split(path.sep).join('/')),
      transformer: async (entry: { source: string; url: string; sourceMap?: object }) => {
        const out = ts.transpileModule(entry.source, {
          fileName: entry.url,
          compilerOptions: { ...COMPILER_OPTIONS, sourceMap: true, inlineSourceMap: false },
        });
        const map = JSON.parse(out.sourceMapText!);
        entry.sourceMap = { ...map, sources: [fileURLToPath(entry.url)], sourcesContent: [entry.source] };
        entry.source = cov.stripDecoratorGuards(out.outputText);
      },
    },
  });
  if (fs.existsSync(cov.V8_DIR)) await report.addFromDir(cov.V8_DIR);
  const results = (await report.generate())!;
  const apps: Record<string, AppCoverage> = {};
  for (const [app, dir] of Object.entries(cov.NODE_APPS)) {
    const files = results.files.filter((f) => f.sourcePath.startsWith(`${dir}/`));
    apps[app] = {
      statements: sum(files, 'statements'),
      branches: sum(files, 'branches'),
      files: files.length,
      perFile: files.map((f) => ({
        path: f.sourcePath,
        statements: f.summary.statements,
        branches: f.summary.branches,
      })),
    };
  }
  return apps;
}

function sum(
  files: { summary: Record<'statements' | 'branches', Count> }[],
  metric: 'statements' | 'branches',
): Count {
  const covered = files.reduce((n, f) => n + f.summary[metric].covered, 0);
  const total = files.reduce((n, f) => n + f.summary[metric].total, 0);
  return { covered, total };
}

function webApp(): AppCoverage | undefined {
  if (!fs.existsSync(cov.WEB_SUMMARY)) return undefined;
  const summary = JSON.parse(fs.readFileSync(cov.WEB_SUMMARY, 'utf8'));
  const { total, ...files } = summary as Record<string, { statements: Count; branches: Count }>;
  return {
    statements: total.statements,
    branches: total.branches,
    files: Object.keys(files).length,
    perFile: Object.entries(files).map(([file, f]) => ({
      path: path.relative(cov.ROOT, file),
      statements: f.statements,
      branches: f.branches,
    })),
  };
}

async function main() {
  const apps = { ...(await nodeApps()), web: webApp() };
  const rows = Object.entries(apps);
  const missing = rows.filter(([, a]) => !a).map(([name]) => name);
  if (missing.length === rows.length) {
    console.error('coverage: nothing collected yet: run `npm test` first');
    process.exit(1);
  }
  const pct = (m: Count) => (m.total ? (100 * m.covered) / m.total : 100);
  const fmt = (m: Count) => `${pct(m).toFixed(1).padStart(5)} % (${m.covered}/${m.total})`.padEnd(24);
  console.log(`app     files  statements              branches`);
  const failed: string[] = [];
  for (const [name, a] of rows) {
    if (!a) {
      console.log(`${name.padEnd(8)} not measured (run \`npm test\`)`);
      failed.push(`${name} not measured`);
      continue;
    }
    console.log(`${name.padEnd(8)}${String(a.files).padStart(5)}  ${fmt(a.statements)}${fmt(a.branches)}`);
    if (SHOW_FILES)
      for (const f of a.perFile.sort((x, y) => x.path.localeCompare(y.path)))
        console.log(`    ${fmt(f.statements)}${fmt(f.branches)}${f.path}`);
    for (const metric of ['statements', 'branches'] as const)
      if (pct(a[metric]) < THRESHOLD) failed.push(`${name} ${metric} ${pct(a[metric]).toFixed(1)} %`);
  }
  if (failed.length) {
    console.log(`coverage under ${THRESHOLD} %: ${failed.join(', ')}`);
    process.exit(1);
  }
  console.log(`coverage: every app at or above ${THRESHOLD} % statements and branches`);
}

main().catch((e: Error) => {
  console.error(`coverage: ${e.message}`);
  process.exit(1);
});
