import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import mqtt, { IClientOptions, MqttClient } from 'mqtt';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const embedded = require('../../scripts/lib/embedded.js');

/** The run's shared broker (TEST_MQTT_URL, or the embedded one the global setup started). */
export function brokerUrl(): string {
  const url = process.env.TEST_MQTT_URL;
  if (!url) throw new Error('TEST_MQTT_URL is not set: run the tests through jest (global setup)');
  return url;
}

export interface OwnBroker {
  url: string;
  kind: 'mosquitto' | 'aedes';
  stop(): Promise<void>;
}

const hasMosquitto = (() => {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // `mosquitto -h` exits non-zero after printing its help
    return (e as { code?: string }).code !== 'ENOENT';
  }
})();

/**
 * A broker of the test's own: Mosquitto with the config we ship (deploy/mosquitto/mosquitto.conf, its queue and
 * in-flight limits sized for ingest) on a free port when the binary is installed, else an embedded Aedes.
 */
export async function startOwnBroker(port?: number): Promise<OwnBroker> {
  port = port ?? (await embedded.freePort());
  if (!hasMosquitto) {
    const b = await embedded.startEmbeddedBroker({ port });
    return { url: b.url, kind: 'aedes', stop: b.stop };
  }
  const shipped = fs.readFileSync(path.resolve(__dirname, '../../deploy/mosquitto/mosquitto.conf'), 'utf8');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-mosquitto-'));
  // keep the shipped limits; replace listeners, persistence and logging with test-local ones
  const limits = shipped
    .split('\n')
    .filter((l) => /^(max_|message_size_limit|allow_duplicate|persistent_client_expiration|set_tcp_nodelay)/.test(l.trim()));
  const conf = [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', `log_dest file ${dir}/mosquitto.log`, ...limits].join('\n');
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
  const proc: ChildProcess = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const url = `mqtt://127.0.0.1:${port}`;
  const probe = await connectClient(url, { reconnectPeriod: 100, connectTimeout: 5000 });
  await probe.endAsync();
  return {
    url,
    kind: 'mosquitto',
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export async function connectClient(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 200, ...opts });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`could not connect to ${url}`)), opts.connectTimeout ?? 10_000);
    client.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
  });
  return client;
}
