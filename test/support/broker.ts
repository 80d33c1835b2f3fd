import mqtt, { IClientOptions, MqttClient } from 'mqtt';

import { freePort } from '../../scripts/lib/embedded';
import * as mosquitto from '../../scripts/lib/mosquitto';
import { built } from '../../scripts/lib/paths';

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

/** Mosquitto with the shipped persistence settings, storing in `dir`, which a crash (SIGKILL) can end. */
export interface PersistentMosquitto {
  url: string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPersistentMosquitto(port: number, dir: string): Promise<PersistentMosquitto> {
  return mosquitto.startMosquitto(port, { persistenceDir: dir });
}

/**
 * A broker of the test's own: Mosquitto with the config we ship (deploy/mosquitto/mosquitto.conf, its queue and
 * in-flight limits sized for ingest) when the binary is installed, else an embedded Aedes.
 */
export async function startOwnBroker(port?: number): Promise<OwnBroker> {
  port = port ?? (await freePort());
  if (!mosquitto.hasMosquitto()) {
    // its own process: Aedes is ESM-only, and Jest's module sandbox cannot import() it
    const { spawn } = await import('node:child_process');
    const proc = spawn(process.execPath, [built('lib/aedes-process'), String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on(
        'data',
        (b: Buffer) => /ready (\S+)/.test(b.toString()) && resolve(`mqtt://127.0.0.1:${port}`),
      );
      proc.once('exit', (code) => reject(new Error(`aedes exited with ${code}`)));
    });
    const stop = () =>
      new Promise<void>((resolve) =>
        proc.exitCode !== null ? resolve() : (proc.once('exit', () => resolve()), proc.kill('SIGTERM')),
      );
    return { url, kind: 'aedes', stop };
  }
  const m = await mosquitto.startMosquitto(port);
  return { url: m.url, kind: 'mosquitto', stop: m.stop };
}

export async function connectClient(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { reconnectPeriod: 200, ...opts });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`could not connect to ${url}`)),
      opts.connectTimeout ?? 10_000,
    );
    client.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
  });
  return client;
}

/** A client id unique to this test run (pids repeat across runs; a reused id would inherit an old session's queue). */
export const testClientId = (name: string): string =>
  `${name}-${process.env.SENSORHUB_TEST_RUN ?? process.pid}`;

/** Ends a persistent session (reconnect with clean: true), so a finished test leaves no queue on a shared broker. */
export async function dropSession(url: string, clientId: string): Promise<void> {
  const c = await connectClient(url, { clientId, clean: true, reconnectPeriod: 0 });
  await c.endAsync();
}

/** Whether a mosquitto binary is installed (tests of Mosquitto's own behaviour need it; CI installs it). */
export const mosquittoInstalled = (): boolean => mosquitto.hasMosquitto();
