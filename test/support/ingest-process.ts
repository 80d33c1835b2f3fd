import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '../../apps/ingest/dist/main.js');

export interface IngestProcess {
  proc: ChildProcess;
  output: () => string;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  ready: Promise<void>;
}

/** Runs the built ingest app (npm test builds first) as a real process, configured only by its environment. */
export function startIngest(env: Record<string, string>): IngestProcess {
  let out = '';
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('subscribed to')) resolve();
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`ingest exited with ${code} before it was ready:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  ready.catch(() => undefined);
  return { proc, output: () => out, exited, ready };
}
