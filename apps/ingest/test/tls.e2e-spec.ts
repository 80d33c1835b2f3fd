import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import mqtt from 'mqtt';

import { connectClient } from '../../../test/support/broker';
import { createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';
import { makeCerts, startTlsMosquitto, TlsMosquitto } from '../../../test/support/tls';

// Devices and ingest on Mosquitto's mutual-TLS listener, with certificates from `npm run certs`.
describe('ingest over MQTT with TLS and client certificates', () => {
  let certs: string;
  let broker: TlsMosquitto;
  let db: TestDatabase;
  let dir: string;
  const running: IngestProcess[] = [];
  const file = (name: string) => path.join(certs, name);
  // secrets as deployed: a NAME_FILE and a systemd credential (Mosquitto's mTLS listener ignores the password; a
  // database on trust ignores it too, else the credential holds the URL's own password)
  const MQTT_PASSWORD = 'mqtt-password-from-a-file-0123456789';
  let dbPassword: string;
  const logs = () => path.join(dir, 'logs');
  const FIXED_MTIME = 1_000_000_000; // whole seconds: restored exactly

  beforeAll(async () => {
    certs = makeCerts(['dev-1']);
    broker = await startTlsMosquitto(certs);
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-ingest-prod-'));
    fs.mkdirSync(path.join(dir, 'credentials'));
    dbPassword = new URL(db.url).password || 'database-credential-0123456789';
    fs.writeFileSync(path.join(dir, 'credentials', 'DATABASE_PASSWORD'), `${dbPassword}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'mqtt-password'), MQTT_PASSWORD, { mode: 0o600 });
    fs.writeFileSync(file('ingest.env'), '');
    fs.utimesSync(file('ingest.env'), FIXED_MTIME, FIXED_MTIME);
  });

  afterAll(async () => {
    // not stop(): it ends the persistent session through the plain URL given; this broker goes away anyway
    for (const p of running) if (p.proc.exitCode === null && p.proc.kill('SIGTERM')) await p.exited;
    await broker?.stop();
    await db?.drop();
    fs.rmSync(certs, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ingest = (env: Record<string, string | undefined>) => {
    const p = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: broker.tlsUrl,
      MQTT_CA_FILE: file('ca.crt'),
      INGEST_CLIENT_ID: `ingest-tls-${process.pid}-${running.length}`,
      ...env,
    });
    running.push(p);
    return p;
  };

  it('stores a reading a device sent through the TLS listener with its client certificate', async () => {
    const url = new URL(db.url);
    url.password = '';
    const app = ingest({
      DATABASE_URL: url.toString(),
      CREDENTIALS_DIRECTORY: path.join(dir, 'credentials'),
      MQTT_USERNAME: 'sensorhub-ingest',
      MQTT_PASSWORD_FILE: path.join(dir, 'mqtt-password'),
      MQTT_CERT_FILE: file('sensorhub-ingest.crt'),
      MQTT_KEY_FILE: file('sensorhub-ingest.key'),
      ENV_FILE: file('ingest.env'),
      LOG_LEVEL: undefined, // from ENV_FILE: a key of the real environment would win over it
      LOG_FILE: path.join(logs(), 'server.log'),
    });
    await app.ready;
    expect(app.output()).toContain(`connected to mqtts://127.0.0.1:`);
    const device = await connectClient(broker.tlsUrl, {
      ca: fs.readFileSync(file('ca.crt')),
      cert: fs.readFileSync(file('devices/dev-1.crt')),
      key: fs.readFileSync(file('devices/dev-1.key')),
    });
    await device.publishAsync('devices/dev-1/temperature', '21.5', { qos: 1 });
    await device.endAsync();
    const rows = await waitFor(
      async () => {
        const { rows } = await db.client.query(`SELECT value FROM readings WHERE device_id = 'dev-1'`);
        return rows.length > 0 && rows;
      },
      10_000,
      'the reading in PostgreSQL',
    );
    expect(rows).toEqual([{ value: 21.5 }]);
  });

  it('takes LOG_LEVEL from ENV_FILE again on SIGHUP', async () => {
    const app = running[0];
    // the file's mtime kept: ingest's watch on ENV_FILE sees no change, only the signal makes it re-read
    fs.writeFileSync(file('ingest.env'), 'LOG_LEVEL=warn\n');
    fs.utimesSync(file('ingest.env'), FIXED_MTIME, FIXED_MTIME);
    const mark = app.output().length;
    app.proc.kill('SIGHUP');
    await waitFor(async () => app.output().includes('"logLevel":"warn"'), 5000, 'the level change');
    // the routine per-connection lines are "log": gone now
    await new Promise((r) => setTimeout(r, 300));
    expect(
      app
        .output()
        .slice(mark)
        .match(/"level":"log"/g),
    ).toHaveLength(1); // the change itself
  });

  it('follows an edit of ENV_FILE without a signal; at debug, logs a dead letter with its topic as a field', async () => {
    const app = running[0];
    // as the api's POST /rereadenv after the same edit: one file, both apps
    fs.writeFileSync(path.join(certs, 'ingest.env'), 'LOG_LEVEL=debug\n');
    await waitFor(async () => app.output().includes('"logLevel":"debug"'), 10_000, 'the level change');
    const device = await connectClient(broker.tlsUrl, {
      ca: fs.readFileSync(file('ca.crt')),
      cert: fs.readFileSync(file('devices/dev-1.crt')),
      key: fs.readFileSync(file('devices/dev-1.key')),
    });
    await device.publishAsync('devices/dev-1/humidity', 'not a number', { qos: 1 });
    await device.endAsync();
    const deadLetter = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((e) => e.msg === 'dead letter');
    const line = await waitFor(async () => deadLetter(app.output()), 10_000, 'the dead letter line');
    expect(line).toMatchObject({
      level: 'debug',
      app: 'ingest',
      topic: 'devices/dev-1/humidity',
      reason: expect.any(String),
    });
    await waitFor(
      async () => deadLetter(fs.readFileSync(path.join(logs(), 'server.log'), 'utf8')) !== undefined,
      5000,
      'the line in server.log',
    );
  });

  it('never writes a secret to its output or its log file', () => {
    const logged = running[0].output() + fs.readFileSync(path.join(logs(), 'server.log'), 'utf8');
    expect(logged).toContain('subscribed to');
    for (const secret of [MQTT_PASSWORD, dbPassword].filter((s) => s.length >= 16))
      expect(logged).not.toContain(secret);
  });

  it('is refused without a client certificate, and says so', async () => {
    const app = ingest({});
    await waitFor(
      async () => /error|refused|handshake|certificate/i.test(app.output()),
      10_000,
      'an error line',
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(app.output()).not.toContain('subscribed to');
    // a device without one cannot connect either
    const bare = mqtt.connect(broker.tlsUrl, { ca: fs.readFileSync(file('ca.crt')), reconnectPeriod: 0 });
    const outcome = await new Promise<string>((resolve) => {
      bare.once('connect', () => resolve('connected'));
      bare.once('error', (err) => resolve(`error: ${err.message}`));
      bare.once('close', () => resolve('closed'));
    });
    bare.end(true);
    expect(outcome).not.toBe('connected');
  });
});
