// Starts what the integration tests need once per run: PostgreSQL and an MQTT broker — the ones named by
// TEST_DATABASE_URL / TEST_MQTT_URL when set, else embedded ones. Each test file then makes its own fresh database.
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as coverage from '../../scripts/lib/coverage-options';
import * as embedded from '../../scripts/lib/embedded';

const state = globalThis as unknown as { __sensorhubStop?: Array<() => Promise<void>> };

export default async function globalSetup(globalConfig: { collectCoverage?: boolean }): Promise<void> {
  state.__sensorhubStop = [];
  if (globalConfig.collectCoverage) {
    // jest --coverage: start from nothing, and let the processes the tests spawn write V8 coverage too
    fs.rmSync(coverage.V8_DIR, { recursive: true, force: true });
    fs.rmSync(coverage.JEST_DIR, { recursive: true, force: true });
    process.env.NODE_V8_COVERAGE = coverage.V8_DIR;
  }
  if (!process.env.TEST_DATABASE_URL) {
    const pg = await embedded.startEmbeddedPostgres({
      dir: path.resolve(__dirname, '../../.data/test-postgres'),
      port: await embedded.freePort(),
      portVariable: 'TEST_DATABASE_URL',
    });
    process.env.TEST_DATABASE_URL = pg.url('postgres');
    state.__sensorhubStop.push(pg.stop);
  }
  if (!process.env.TEST_MQTT_URL) {
    const broker = await embedded.startEmbeddedBroker({
      port: await embedded.freePort(),
      portVariable: 'TEST_MQTT_URL',
    });
    process.env.TEST_MQTT_URL = broker.url;
    state.__sensorhubStop.push(broker.stop);
  }
  process.env.SENSORHUB_TEST_RUN = `${Date.now().toString(36)}${process.pid}`;
}
