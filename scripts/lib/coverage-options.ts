/**
 * Where `npm test` leaves coverage and what counts: the TypeScript sources of api, ingest and domain, whether they
 * ran in Jest's process (ts-jest output, mapped by its inline source map) or in a child process the tests spawned
 * (tsc's dist/ output under NODE_V8_COVERAGE, mapped by dist's .js.map). Monocart merges both per source file.
 */
import * as path from 'node:path';

import type { CoverageReportOptions } from 'monocart-coverage-reports';

import { ROOT } from './paths';

export { ROOT };
export const DIR = path.join(ROOT, 'coverage');

/** the apps of the table, with the source folder each one is measured on */
export const NODE_APPS = {
  api: 'apps/api/src',
  ingest: 'apps/ingest/src',
  domain: 'libs/domain/src',
  contracts: 'libs/contracts/src',
};

const CODE = /\/(apps\/(api|ingest)|libs\/(domain|contracts))\/(src|dist)\//;
export const isSource = (p: string): boolean =>
  /^(apps\/(api|ingest)\/src|libs\/(domain|contracts)\/src)\/.+\.ts$/.test(p) &&
  !/\.(spec|e2e-spec|d)\.ts$/.test(p);

/**
 * ts-jest compiles each file on its own (isolatedModules), so every decorator type reference becomes
 * `typeof (_a = typeof X !== "undefined" && X) === "function" ? _a : Object` (tsc's full build, what runs in
 * production, emits plain `X`). Those are not branches of our code: blank each to `Object` of the same length, so
 * V8's byte offsets still hold, before branches are counted.
 */
const DECORATOR_GUARD =
  /typeof \((_\w+) = typeof ([\w$.]+) !== "undefined" && \2\) === "function" \? \1 : Object/g;
export const stripDecoratorGuards = (js: string): string =>
  js.replace(DECORATOR_GUARD, (m) => 'Object'.padEnd(m.length));

/** where the Jest reporter adds each test file's coverage (Monocart's cache format) */
export const JEST_DIR = path.join(DIR, 'jest');
/** raw V8 coverage of the child processes the tests spawn (NODE_V8_COVERAGE) */
export const V8_DIR = path.join(DIR, '.v8');
/** Vitest's summary for the web app (ng test --coverage) */
export const WEB_SUMMARY = path.join(DIR, 'web', 'coverage-summary.json');

/** Monocart's filters: the same in the Jest reporter (which adds to its cache) and in the report (which merges) */
export const options: CoverageReportOptions = {
  name: 'SensorHub',
  baseDir: ROOT,
  logging: 'error',
  entryFilter: (entry) =>
    CODE.test(entry.url) &&
    !entry.url.includes('/node_modules/') &&
    !/\.(spec|e2e-spec)\.ts$/.test(entry.url),
  sourceFilter: (sourcePath) => isSource(sourcePath),
  onEntry: (entry) => {
    if (typeof entry.source === 'string') entry.source = stripDecoratorGuards(entry.source);
  },
};
