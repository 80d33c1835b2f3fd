/**
 * A Jest reporter: hands each test file's V8 coverage (jest --coverage with coverageProvider v8) to Monocart's cache,
 * where `npm run coverage` merges it with the child processes' coverage. Jest's own report is off (coverageReporters
 * none). Jest loads reporters without transforming them: jest.config.js takes this one from dist/ (npm test builds).
 */
import { CoverageReport } from 'monocart-coverage-reports';

import { JEST_DIR, options } from './coverage-options';

interface V8Entry {
  codeTransformResult?: { code: string; wrapperLength: number };
  result: object;
}

class CoverageReporter {
  private readonly report?: CoverageReport;
  private readonly pending: Promise<unknown>[] = [];

  constructor(globalConfig: { collectCoverage?: boolean; coverageProvider?: string }) {
    const enabled = globalConfig.collectCoverage && globalConfig.coverageProvider === 'v8';
    this.report = enabled ? new CoverageReport({ ...options, outputDir: JEST_DIR }) : undefined;
  }

  onTestResult(_test: unknown, result: { v8Coverage?: V8Entry[] }): void {
    if (!this.report || !result.v8Coverage) return;
    const entries = result.v8Coverage
      .filter(({ codeTransformResult }) => codeTransformResult)
      .map(({ codeTransformResult, result: r }) => ({
        ...r,
        source: codeTransformResult!.code,
        scriptOffset: codeTransformResult!.wrapperLength,
      }));
    if (entries.length) this.pending.push(this.report.add(entries as never));
  }

  async onRunComplete(): Promise<void> {
    await Promise.all(this.pending);
  }
}

export = CoverageReporter;
