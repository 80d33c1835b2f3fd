// Child processes of the tests and benchmarks: a built app (or any node script) run with only the environment it is
// given, its output kept, "ready" when a line matches, stopped with SIGTERM (SIGKILL after a grace period).
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';

export interface NodeProcess {
  proc: ChildProcess;
  /** everything it wrote to stdout and stderr so far */
  output(): string;
  /** the first match of `ready` in its output; rejects, with the output, if it exits before */
  ready: Promise<RegExpExecArray>;
  /** its exit code (null when a signal ended it) */
  exited: Promise<number | null>;
  /** `signal` (SIGTERM) unless it has exited, then waits for the exit; with `graceMs`, SIGKILL after that long */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Runs `node <script> [...args]` with PATH, NODE_V8_COVERAGE (so `npm test` measures it) and `env` only (a key given
 * as undefined is left out): a built app is configured by its environment alone, as in production. `ready` matches its output (default: resolves at once).
 */
export function startNode(
  script: string,
  {
    env = {},
    args = [],
    nodeArgs = [],
    cwd,
    ready,
    name = script,
    echo = false,
  }: {
    env?: Record<string, string | undefined>;
    args?: string[];
    nodeArgs?: string[];
    cwd?: string;
    ready?: RegExp;
    /** how it is named in errors and echoed lines */
    name?: string;
    /** also write its output to this process's stderr, each chunk prefixed with [name] */
    echo?: boolean;
  } = {},
): NodeProcess {
  let out = '';
  const proc = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd,
    // a key given as undefined is left out
    env: Object.fromEntries(
      Object.entries({
        PATH: process.env.PATH ?? '',
        NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE,
        ...env,
      }).filter(([, v]) => v !== undefined),
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString();
    if (echo) process.stderr.write(`[${name}] ${b.toString()}`);
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const readyPromise = new Promise<RegExpExecArray>((resolve, reject) => {
    if (!ready) return resolve([] as unknown as RegExpExecArray);
    const check = () => {
      const m = ready.exec(out);
      if (m) {
        listeners.delete(check);
        resolve(m);
      }
    };
    listeners.add(check);
    void exited.then((code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${out}`)));
  });
  readyPromise.catch(() => undefined);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs?: number) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const t = graceMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(t);
  };
  return { proc, output: () => out, ready: readyPromise, exited, stop };
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function accepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

// an Error of another realm (Jest's sandbox, a fetch from outside it) is no instanceof Error here
const isError = (e: unknown): e is Error =>
  typeof e === 'object' && e !== null && 'message' in e && 'stack' in e;

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Polls `fn` every `everyMs` until it returns a truthy value or `timeoutMs` passes (then throws with the last value).
 * An error `fn` throws ends the wait at once, unless `retryErrors` (a page navigating, a server still starting).
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
  { everyMs = 50, retryErrors = false }: { everyMs?: number; retryErrors?: boolean } = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last as Truthy<T>;
    } catch (e) {
      if (!retryErrors) throw e;
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} (last: ${isError(last) ? last.message : JSON.stringify(last)})`,
  );
}
