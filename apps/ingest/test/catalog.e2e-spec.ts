import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

import { MqttClient } from 'mqtt';

import { DEAD_LETTER_REASONS as R } from '@sensorhub/domain';

import { brokerUrl, connectClient, testClientId } from '../../../test/support/broker';
import { count, createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';

// The metric catalog in ingest: impossible readings are dead letters, and an edit of the file changes the verdict on
// the next message without a restart; a broken file never reaches a running ingest and stops a starting one.
describe('metric catalog (ingest)', () => {
  let db: TestDatabase;
  let ingest: IngestProcess;
  let pub: MqttClient;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-catalog-'));
  const catalogFile = path.join(dir, 'metrics.yaml');
  const writeCatalog = (max: number) =>
    fs.writeFileSync(catalogFile, `metrics:\n  temperature:\n    unit: °C\n    min: -80\n    max: ${max}\n`);

  beforeAll(async () => {
    db = await createTestDatabase();
    writeCatalog(150);
    ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: testClientId('ingest-catalog'),
      METRICS_CATALOG: catalogFile,
    });
    await ingest.ready;
    pub = await connectClient(brokerUrl());
  });
  afterAll(async () => {
    await pub?.endAsync();
    await ingest?.stop();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stored = (device: string) =>
    count(db.client, 'SELECT count(*) n FROM readings WHERE device_id = $1', [device]);
  const outOfRange = (device: string) =>
    count(db.client, 'SELECT count(*) n FROM dead_letters WHERE reason = $1 AND topic = $2', [
      R.outOfRange,
      `devices/${device}/temperature`,
    ]);

  it('dead-letters a reading outside its bounds with OUT_OF_RANGE and stores the one within', async () => {
    await pub.publishAsync('devices/cat-a/temperature', '200', { qos: 1 });
    await pub.publishAsync('devices/cat-b/temperature', '21.5', { qos: 1 });
    await waitFor(
      async () => (await outOfRange('cat-a')) === 1 && (await stored('cat-b')) === 1,
      10_000,
      'verdicts',
    );
    expect(await stored('cat-a')).toBe(0);
    const { rows } = await db.client.query('SELECT detail FROM dead_letters WHERE reason = $1', [
      R.outOfRange,
    ]);
    expect(rows[0].detail).toBe('temperature 200 °C is outside its bounds [-80, 150] °C');
  });

  it('applies an edited catalog to the next message, without a restart (file change, then SIGHUP)', async () => {
    writeCatalog(250);
    await waitFor(
      async () => /metric catalog reloaded \(the file changed\)/.test(ingest.output()),
      10_000,
      'reload',
    );
    await pub.publishAsync('devices/cat-c/temperature', '200', { qos: 1 });
    await waitFor(async () => (await stored('cat-c')) === 1, 10_000, 'the 200 °C reading stored');

    // a broken edit keeps the catalog in force and says why
    fs.writeFileSync(catalogFile, 'metrics:\n  temperature:\n    max: [\n');
    ingest.proc.kill('SIGHUP');
    await waitFor(
      async () => /metric catalog not reloaded \(SIGHUP\)/.test(ingest.output()),
      10_000,
      'refusal',
    );
    await pub.publishAsync('devices/cat-d/temperature', '300', { qos: 1 });
    await waitFor(async () => (await outOfRange('cat-d')) === 1, 10_000, '300 °C still out of range');
  });

  it('refuses to start on a broken catalog with one line naming METRICS_CATALOG and the line', () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'metrics:\n  Temperature: {}\n');
    const r = spawnSync(process.execPath, [path.resolve(__dirname, '../dist/main.js')], {
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, MQTT_URL: brokerUrl(), METRICS_CATALOG: bad },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      `ingest: METRICS_CATALOG: ${bad} line 2: metric "Temperature" must be 1-64 of [a-z0-9_]`,
    );
  });
});
