// A Mosquitto of our own (tests, benchmarks) with the limits of the config we ship (deploy/mosquitto/mosquitto.conf).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ROOT } from './paths';
import { accepts } from './processes';

const SHIPPED = path.join(ROOT, 'deploy/mosquitto/mosquitto.conf');

export function hasMosquitto(): boolean {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // `mosquitto -h` exits non-zero after printing its help
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export interface Mosquitto {
  pid?: number;
  url: string;
  /** a crash: SIGKILL, no save */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts mosquitto on 127.0.0.1:`port` with the shipped queue and in-flight limits; resolves when it accepts
 * connections. With `persistenceDir`, also the shipped persistence (autosave) settings, storing there: a broker
 * started again on the same directory finds the sessions and queues its predecessor saved. With `tls` ({port, dir}:
 * `npm run certs` output), also a TLS listener on tls.port that requires a client certificate signed by the CA, as
 * the shipped 8883 listener does.
 */
export async function startMosquitto(
  port: number,
  { persistenceDir, tls }: { persistenceDir?: string; tls?: { port: number; dir: string } } = {},
): Promise<Mosquitto> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-mosquitto-'));
  // keep the shipped limits; replace listeners, persistence and logging with local ones
  const shipped = fs.readFileSync(SHIPPED, 'utf8').split('\n');
  const limits = shipped.filter((l) => /^(max_|persistent_client_expiration|set_tcp_nodelay)/.test(l.trim()));
  // mosquitto started as root drops to its own user before it saves: the directory must be writable by it
  if (persistenceDir) fs.chmodSync(persistenceDir, 0o777);
  const persistence = persistenceDir
    ? [
        'persistence true',
        `persistence_location ${persistenceDir.replace(/\/?$/, '/')}`,
        ...shipped.filter((l) => /^autosave_/.test(l.trim())),
      ]
    : ['persistence false'];
  const tlsListener = tls
    ? [
        `listener ${tls.port} 127.0.0.1`,
        `cafile ${path.join(tls.dir, 'ca.crt')}`,
        `certfile ${path.join(tls.dir, 'server.crt')}`,
        `keyfile ${path.join(tls.dir, 'server.key')}`,
        'require_certificate true',
        'use_identity_as_username true',
      ]
    : [];
  const conf = [
    'per_listener_settings false',
    `listener ${port} 127.0.0.1`,
    ...tlsListener,
    'allow_anonymous true',
    ...persistence,
    `log_dest file ${dir}/mosquitto.log`,
    ...limits,
  ];
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), conf.join('\n') + '\n');
  const proc = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(await accepts(tls ? tls.port : port))) {
    if (proc.exitCode !== null || Date.now() > deadline)
      throw new Error(`mosquitto did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const gone = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
    });
  return {
    pid: proc.pid,
    url: `mqtt://127.0.0.1:${port}`,
    kill: async () => {
      proc.kill('SIGKILL');
      await gone();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}
