import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { Client } from 'pg';

import { brokerUrl, connectClient, dropSession, testClientId } from '../support/broker';
import { createTestDatabase, TestDatabase, waitFor } from '../support/database';

import { freePort } from '../../scripts/lib/embedded';
import { built } from '../../scripts/lib/paths';

jest.setTimeout(120_000);

// `npm start` (scripts/start.ts, built) on given services, as a user with DATABASE_URL and MQTT_URL set would run it.
describe('npm start', () => {
  let db: TestDatabase;
  const procs: ChildProcess[] = [];
  const clientId = testClientId('start');

  const start = (port: number, webDist: string) => {
    let out = '';
    const proc = spawn(process.execPath, [built('start')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE,
        DATABASE_URL: db.url,
        MQTT_URL: brokerUrl(),
        PORT: String(port),
        WEB_DIST: webDist,
        INGEST_CLIENT_ID: clientId,
        ADMIN_EMAIL: 'boss@example.com',
        JWT_SECRET: 'start-test-secret-start-test-secret-0123',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(proc);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const ready = waitFor(async () => out.includes('SensorHub ready'), 60_000, 'the ready line').catch(
      (e) => {
        throw new Error(`${(e as Error).message}; output:\n${out}`);
      },
    );
    return { proc, exited, ready, output: () => out };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await dropSession(brokerUrl(), clientId);
    await db?.drop();
  });

  it('prints one ready line, creates the admin once, stores a published reading, stops on Ctrl-C and starts again', async () => {
    const port = await freePort();
    const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-web-'));
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>SensorHub</title>');

    const first = start(port, webDist);
    await first.ready;
    const out = first.output();
    const ready = out.split('\n').filter((l) => l.includes('SensorHub ready'));
    expect(ready).toHaveLength(1);
    expect(ready[0]).toContain(`http://127.0.0.1:${port}`);
    expect(ready[0]).toMatch(/database: postgres:\/\//);
    const created = /admin user created: boss@example\.com \/ (\S+)/.exec(out);
    expect(created).not.toBeNull();

    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'boss@example.com', password: created![1] }),
    });
    expect(login.status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('<title>SensorHub</title>');

    const device = `start-${process.pid}`;
    const pub = await connectClient(brokerUrl());
    await pub.publishAsync(`devices/${device}/temperature`, '21.5', { qos: 1 });
    await pub.endAsync();
    const row = await waitFor(
      async () =>
        (await db.client.query('SELECT value FROM readings WHERE device_id = $1', [device])).rows[0],
      5000,
      'the published reading',
    );
    expect(row.value).toBe(21.5);

    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);

    // a second start reuses what is there: the same admin, no new password
    const second = start(port, webDist);
    await second.ready;
    expect(second.output()).not.toMatch(/admin user created/);
    second.proc.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});

describe('npm start on the embedded defaults', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-start-'));
  // PostgreSQL runs as its own system user when the tests run as root: it must reach the data folder
  fs.chmodSync(dir, 0o755);
  const procs: ChildProcess[] = [];

  afterAll(() => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string>) => {
    let out = '';
    const proc = spawn(process.execPath, [built('start')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE,
        DATA_DIR: path.join(dir, 'data'),
        WEB_DIST: dir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(proc);
    proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    return { proc, exited, output: () => out };
  };

  it('runs its own PostgreSQL and broker, with a simulated fleet whose readings land in the database it names', async () => {
    const [port, pgPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
    const s = start({
      PORT: String(port),
      PG_PORT: String(pgPort),
      MQTT_PORT: String(mqttPort),
      SIMULATE_DEVICES: '2',
      SIMULATE_INTERVAL_MS: '200',
    });
    await waitFor(async () => s.output().includes('SensorHub ready'), 90_000, 'the ready line').catch((e) => {
      throw new Error(`${(e as Error).message}; output:\n${s.output()}`);
    });
    const url = /database: (postgres:\/\/\S+)/.exec(s.output())![1];
    expect(url).toBe(`postgres://postgres:postgres@127.0.0.1:${pgPort}/sensorhub`);
    expect(s.output()).toContain(`MQTT: mqtt://127.0.0.1:${mqttPort}`);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      // both devices' readings, not just the first to arrive
      let devices = '';
      await waitFor(
        async () => {
          const { rows } = await client.query(`SELECT DISTINCT device_id FROM readings ORDER BY 1`);
          devices = rows.map((r) => r.device_id).join(',');
          return rows.length >= 2;
        },
        10_000,
        'readings of both simulated devices',
      ).catch(() => undefined);
      expect(devices).toBe('sim-001,sim-002');
    } finally {
      await client.end();
    }
    s.proc.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('stops with one line naming the variable to set when the broker port is taken', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const s = start({
        PORT: String(await freePort()),
        PG_PORT: String(await freePort()),
        MQTT_PORT: String(port),
      });
      expect(await s.exited).toBe(1);
      const lines = s
        .output()
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('migrations applied'));
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use: set MQTT_PORT`)),
      ]);
    } finally {
      taken.close();
    }
  });
});
