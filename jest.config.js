const fs = require('node:fs');
const path = require('node:path');

// Jest loads reporters untransformed: this one is TypeScript (scripts/lib), built into dist/ by `npm test`
const COVERAGE_REPORTER = path.join(__dirname, 'dist/scripts/lib/coverage-reporter.js');

/**
 * One Jest run for the whole repository: unit specs beside the code, e2e specs in apps/<app>/test and test/e2e, the
 * browser tests in apps/web/e2e (the web app's unit specs run in Vitest: ng test).
 */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/libs',
    '<rootDir>/apps/ingest',
    '<rootDir>/apps/api',
    '<rootDir>/apps/web/e2e',
    '<rootDir>/test',
  ],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    '^@sensorhub/contracts$': '<rootDir>/libs/contracts/src',
    '^@sensorhub/domain$': '<rootDir>/libs/domain/src',
  },
  // every supertest response is checked against the API's OpenAPI document (test/support/openapi-contract.ts)
  setupFilesAfterEnv: ['<rootDir>/test/support/setup-contract.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  // `jest --coverage` (npm test): V8 coverage, handed to Monocart by our reporter; `npm run coverage` reports it
  coverageProvider: 'v8',
  coverageReporters: ['none'],
  reporters: ['default', ...(fs.existsSync(COVERAGE_REPORTER) ? [COVERAGE_REPORTER] : [])],
};
