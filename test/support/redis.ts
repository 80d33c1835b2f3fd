import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as net from 'node:net';

import * as embedded from '../../scripts/lib/embedded';

/** Whether Debian's redis-server is installed (CI installs it; tests that need their own Redis say so otherwise). */
export function redisInstalled(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A Redis of the test's own on a free port, appending every write to `dir` (appendfsync always), so a stop and a
 * start again on the same directory keep what was there: a Redis outage, not a Redis wipe.
 */
export class OwnRedis {
  private proc?: ChildProcess;
  url = '';

  constructor(
    readonly dir: string,
    private port = 0,
  ) {}

  async start(): Promise<string> {
    this.port ||= await embedded.freePort();
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (this.proc.exitCode !== null || Date.now() > deadline)
        throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return (this.url = `redis://127.0.0.1:${this.port}`);
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
