'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a Jest reporter: plain CommonJS */
/* global require, module */
/**
 * Hands each test file's V8 coverage (jest --coverage with coverageProvider v8) to Monocart's cache, where
 * `npm run coverage` merges it with the child processes' coverage. Jest's own report is off (coverageReporters none).
 */
const { CoverageReport } = require('monocart-coverage-reports');

const { JEST_DIR, options } = require('../../scripts/lib/coverage-options');

class CoverageReporter {
  constructor(globalConfig) {
    this.enabled = globalConfig.collectCoverage && globalConfig.coverageProvider === 'v8';
    this.report = this.enabled ? new CoverageReport({ ...options, outputDir: JEST_DIR }) : undefined;
    this.pending = [];
  }

  onTestResult(_test, result) {
    if (!this.report || !result.v8Coverage) return;
    const entries = result.v8Coverage
      .filter(({ codeTransformResult }) => codeTransformResult)
      .map(({ codeTransformResult, result: r }) => ({
        ...r,
        source: codeTransformResult.code,
        scriptOffset: codeTransformResult.wrapperLength,
      }));
    if (entries.length) this.pending.push(this.report.add(entries));
  }

  async onRunComplete() {
    await Promise.all(this.pending);
  }
}

module.exports = CoverageReporter;
