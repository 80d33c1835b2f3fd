import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Client } from 'pg';

import { MIGRATION_NAMES } from '@sensorhub/domain';

import { brokerUrl, connectClient, dropSession, testClientId } from '../support/broker';
import { createTestDatabase, databaseUrl, OwnPostgres, TestDatabase, waitFor } from '../support/database';
import { startIngest } from '../support/ingest-process';

import { startApiProcess as startApp } from '../../scripts/lib/apps';
import { freePort } from '../../scripts/lib/embedded';

jest.setTimeout(120_000);

/** The built api as a real process (`npm run start:api`), configured only by its environment. */
const startApiProcess = (env: Record<string, string>) =>
  startApp({ MQTT_URL: brokerUrl(), JWT_SECRET: 'startup-test-secret-startup-test-secret-0123', ...env });

interface HealthBody {
  info?: Record<string, unknown>;
  details?: { error?: Record<string, unknown> };
}

const health = async (port: number) => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    return { status: res.status, body: (await res.json()) as HealthBody };
  } catch {
    return { status: 0, body: {} as HealthBody }; // not listening
  }
};

const jsonLines = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { level: string; context?: string; msg: string });

describe('start:ingest and start:api on a database without the schema', () => {
  let db: TestDatabase;
  const clientIds = [testClientId('startup-a'), testClientId('startup-b')];
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    db = await createTestDatabase(undefined, { migrate: false });
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
    for (const id of clientIds) await dropSession(brokerUrl(), id);
    await db?.drop();
  });

  it('apply the migrations once, even started together, and serve; /health turns false while the schema is behind', async () => {
    const port = await freePort();
    const ingests = clientIds.map((id) =>
      startIngest({ DATABASE_URL: db.url, MQTT_URL: brokerUrl(), INGEST_CLIENT_ID: id }),
    );
    const api = startApiProcess({ DATABASE_URL: db.url, PORT: String(port) });
    stops.push(api.stop, ...ingests.map((i) => i.stop));
    await Promise.all(ingests.map((i) => i.ready));
    await waitFor(async () => (await health(port)).status === 200, 30_000, 'the api healthy');

    // each migration recorded once: the advisory lock let one process apply it, the others found it done
    const { rows } = await db.client.query(`SELECT name FROM migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual([...MIGRATION_NAMES]);
    const applied = [...ingests.map((i) => i.output()), api.output()].join('\n').match(/migrations applied/g);
    expect(applied).toHaveLength(1);

    const pub = await connectClient(brokerUrl());
    await pub.publishAsync('devices/startup-1/temperature', '19.5', { qos: 1 });
    await pub.endAsync();
    await waitFor(
      async () => (await db.client.query(`SELECT 1 FROM readings WHERE device_id = 'startup-1'`)).rowCount,
      10_000,
      'the reading stored',
    );

    // a restored older dump, or a newer version whose migration was not applied: not ready
    const last = MIGRATION_NAMES[MIGRATION_NAMES.length - 1];
    const removed = await db.client.query(`DELETE FROM migrations WHERE name = $1 RETURNING *`, [last]);
    const behind = await health(port);
    expect(behind.status).toBe(503);
    expect(behind.body.details?.error?.schema).toEqual({
      status: 'down',
      message: 'migrations pending',
      pending: [last],
    });
    const r = removed.rows[0];
    await db.client.query(`INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [
      r.id,
      r.timestamp,
      r.name,
    ]);
    expect((await health(port)).body.info?.schema).toEqual({ status: 'up' });
  });
});

describe('start:ingest and start:api with the database down at start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-startup-pg-'));
  const clientId = testClientId('startup-down');
  const stops: Array<() => Promise<void>> = [];
  let pg: OwnPostgres;

  afterAll(async () => {
    for (const stop of stops) await stop();
    await pg?.stop();
    await dropSession(brokerUrl(), clientId);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('both wait, retrying with backoff and not ready, then start once it answers', async () => {
    const [pgPort, port] = [await freePort(), await freePort()];
    const url = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
    const ingest = startIngest({ DATABASE_URL: url, MQTT_URL: brokerUrl(), INGEST_CLIENT_ID: clientId });
    const api = startApiProcess({ DATABASE_URL: url, PORT: String(port) });
    stops.push(api.stop, ingest.stop);

    const waiting = (out: string) =>
      jsonLines(out).filter((l) => l.context === 'database' && l.level === 'warn');
    await waitFor(
      async () => waiting(ingest.output()).length >= 2 && waiting(api.output()).length >= 2,
      15_000,
      'both retrying',
    );
    // not ready: the api does not listen, ingest has not subscribed; neither gave up
    expect(await health(port)).toEqual({ status: 0, body: {} });
    expect(ingest.output()).not.toContain('subscribed to');
    expect([ingest.proc.exitCode, api.proc.exitCode]).toEqual([null, null]);
    for (const out of [ingest.output(), api.output()]) {
      const [first, second] = waiting(out).map((l) => Number(/retrying in (\d+) s/.exec(l.msg)![1]));
      expect(second).toBeGreaterThan(first); // backoff
      expect(waiting(out)[0].msg).toMatch(/^database not ready \(.*ECONNREFUSED.*\): retrying in 1 s$/);
    }

    pg = new OwnPostgres(path.join(dir, 'data'), pgPort);
    await pg.start();
    await ingest.ready;
    await waitFor(async () => (await health(port)).status === 200, 40_000, 'the api healthy');
    const pub = await connectClient(brokerUrl());
    await pub.publishAsync('devices/startup-2/temperature', '20.5', { qos: 1 });
    await pub.endAsync();
    const client = new Client({ connectionString: databaseUrl(url, 'postgres') });
    await client.connect();
    try {
      await waitFor(
        async () => (await client.query(`SELECT 1 FROM readings WHERE device_id = 'startup-2'`)).rowCount,
        10_000,
        'the reading stored',
      );
    } finally {
      await client.end();
    }
  });
});

describe('ingest logs with the broker unreachable', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('writes JSON lines only, without colours, and the refused connection once, not every second', async () => {
    const ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: 'mqtt://127.0.0.1:1',
      INGEST_CLIENT_ID: 'unreachable',
    });
    await waitFor(
      async () => ingest.output().includes('ECONNREFUSED'),
      30_000,
      'the first refused connection',
    );
    await new Promise((r) => setTimeout(r, 3500)); // three more reconnect attempts, one a second
    ingest.proc.kill('SIGTERM'); // not stop(): it would drop the session on the unreachable broker
    expect(await ingest.exited).toBe(0);
    const out = ingest.output();
    expect(out).not.toContain('\u001b['); // no colour codes
    const lines = jsonLines(out); // throws on a line that is not JSON
    // once when it happened, and at exit how often it was held back since
    const refused = lines.filter((l) => l.msg.includes('ECONNREFUSED')) as Array<{ repeated?: number }>;
    expect(refused).toHaveLength(2);
    expect(refused[0].repeated).toBeUndefined();
    expect(refused[1].repeated).toBeGreaterThanOrEqual(2);
    // nothing else repeats either ("MQTT connection lost. Trying to reconnect…")
    const written = lines.filter((l) => !('repeated' in l)).map((l) => `${l.context}: ${l.msg}`);
    expect(written.filter((l, i) => written.indexOf(l) !== i)).toEqual([]);
  });
});
