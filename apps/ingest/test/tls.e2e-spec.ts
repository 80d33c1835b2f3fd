import * as fs from 'node:fs';
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
  const running: IngestProcess[] = [];
  const file = (name: string) => path.join(certs, name);

  beforeAll(async () => {
    certs = makeCerts(['dev-1']);
    broker = await startTlsMosquitto(certs);
    db = await createTestDatabase();
  });

  afterAll(async () => {
    // not stop(): it ends the persistent session through the plain URL given; this broker goes away anyway
    for (const p of running) if (p.proc.exitCode === null && p.proc.kill('SIGTERM')) await p.exited;
    await broker?.stop();
    await db?.drop();
    fs.rmSync(certs, { recursive: true, force: true });
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
    const app = ingest({
      MQTT_CERT_FILE: file('sensorhub-ingest.crt'),
      MQTT_KEY_FILE: file('sensorhub-ingest.key'),
      ENV_FILE: file('ingest.env'),
      LOG_LEVEL: undefined, // from ENV_FILE: a key of the real environment would win over it
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
    fs.writeFileSync(path.join(certs, 'ingest.env'), 'LOG_LEVEL=warn\n');
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
