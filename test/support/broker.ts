import mqtt, { IClientOptions, MqttClient } from 'mqtt';

import * as mosquitto from '../../scripts/lib/mosquitto';

export type { OwnBroker } from '../../scripts/lib/brokers';
export { startOwnBroker } from '../../scripts/lib/brokers';

/** The run's shared broker (TEST_MQTT_URL, or the embedded one the global setup started). */
export function brokerUrl(): string {
  const url = process.env.TEST_MQTT_URL;
  if (!url) throw new Error('TEST_MQTT_URL is not set: run the tests through jest (global setup)');
  return url;
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
