import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

import { TEST_JWT_SECRET } from './api';

const MAIN = path.resolve(__dirname, '../../apps/api/dist/main.js');

export interface ApiProcess {
  proc: ChildProcess;
  url: Promise<string>;
  output: () => string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The built API (with its alert processor) as a real process on a free port, configured only by its environment;
 * a key given as undefined is left out of it.
 */
export function startApiProcess(env: Record<string, string | undefined>): ApiProcess {
  let out = '';
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'log',
    THROTTLE_LIMIT: '100000',
    ENV_FILE: '/nonexistent/.env',
    ...env,
  };
  const proc = spawn(process.execPath, [MAIN], {
    env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1].replace('[::1]', '127.0.0.1'));
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`api exited with ${code} before listening:\n${out}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return { proc, url, output: () => out, exited, kill };
}
