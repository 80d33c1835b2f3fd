import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as embedded from '../../scripts/lib/embedded';
import * as mosquitto from '../../scripts/lib/mosquitto';
import { built } from '../../scripts/lib/paths';

const CERTS = built('certs');

/** `npm run certs` into a fresh directory (readable by Mosquitto, which drops root for its own user). */
export function makeCerts(devices: string[] = ['dev-1']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-certs-'));
  execFileSync(process.execPath, [CERTS, '--out', dir, '--device', devices.join(',')], { stdio: 'pipe' });
  for (const sub of [dir, path.join(dir, 'devices')]) {
    fs.chmodSync(sub, 0o755);
    for (const f of fs.readdirSync(sub)) if (f.endsWith('.key')) fs.chmodSync(path.join(sub, f), 0o644);
  }
  return dir;
}

export interface TlsMosquitto {
  /** plain listener (for the test's own checks) */
  url: string;
  /** mqtts:// listener that requires a client certificate signed by the CA */
  tlsUrl: string;
  stop(): Promise<void>;
}

/** A Mosquitto of the test's own with the shipped limits, a plain listener and an mTLS listener on free ports. */
export async function startTlsMosquitto(certs: string): Promise<TlsMosquitto> {
  const port = await embedded.freePort();
  const tlsPort = await embedded.freePort();
  const m = await mosquitto.startMosquitto(port, { tls: { port: tlsPort, dir: certs } });
  return { url: m.url, tlsUrl: `mqtts://127.0.0.1:${tlsPort}`, stop: m.stop };
}
