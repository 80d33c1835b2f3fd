import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

import { dropSession } from './broker';

const MAIN = path.resolve(__dirname, '../../apps/ingest/dist/main.js');

export interface IngestProcess {
  proc: ChildProcess;
  output: () => string;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  ready: Promise<void>;
  /** SIGTERM (if still running), wait for the exit, then drop its persistent session so no queue stays behind */
  stop(): Promise<void>;
}

/** Runs the built ingest app (npm test builds first) as a real process, configured only by its environment (a key
 * given as undefined is left out). */
export function startIngest(env: Record<string, string | undefined>): IngestProcess {
  let out = '';
  const merged: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE,
    LOG_LEVEL: 'log',
    // no metric catalog unless a test gives one: the wire-contract tests send values beyond physical bounds
    METRICS_CATALOG: 'off',
    ...env,
  };
  const proc = spawn(process.execPath, [MAIN], {
    // a key given as undefined is left out
    env: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)),
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
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
    if (env.MQTT_URL && env.INGEST_CLIENT_ID) await dropSession(env.MQTT_URL, env.INGEST_CLIENT_ID);
  };
  return { proc, output: () => out, exited, ready, stop };
}
