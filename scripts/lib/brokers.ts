// An MQTT broker of a test's or benchmark's own: Mosquitto with the config we ship when installed, else Aedes.
import { freePort } from './embedded';
import { hasMosquitto, startMosquitto } from './mosquitto';
import { built } from './paths';
import { startNode } from './processes';

export interface OwnBroker {
  url: string;
  kind: 'mosquitto' | 'aedes';
  stop(): Promise<void>;
}

/**
 * Mosquitto with the config we ship (deploy/mosquitto/mosquitto.conf, its queue and in-flight limits sized for
 * ingest) when the binary is installed, else an embedded Aedes in its own process (Jest's module sandbox cannot
 * import() the ESM-only Aedes), on `port` or a free one.
 */
export async function startOwnBroker(port?: number): Promise<OwnBroker> {
  port = port ?? (await freePort());
  if (hasMosquitto()) {
    const m = await startMosquitto(port);
    return { url: m.url, kind: 'mosquitto', stop: m.stop };
  }
  const aedes = startNode(built('lib/aedes-process'), {
    name: 'aedes',
    args: [String(port)],
    ready: /ready (\S+)/,
  });
  await aedes.ready;
  return { url: `mqtt://127.0.0.1:${port}`, kind: 'aedes', stop: () => aedes.stop() };
}
