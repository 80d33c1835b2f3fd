import { Client } from 'pg';

import { runMigrations } from '@sensorhub/domain';

import { built } from '../../scripts/lib/paths';

export interface TestDatabase {
  url: string;
  /** a connection to it, for assertions */
  client: Client;
  drop(): Promise<void>;
}

let counter = 0;

/** Admin URL of the run's server (TEST_DATABASE_URL, or the embedded one the global setup started). */
export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated (unless `migrate: false`) database for one test file; `drop()` removes it. */
export async function createTestDatabase(
  base = adminUrl(),
  { migrate = true }: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const name = `sensorhub_test_${process.env.SENSORHUB_TEST_RUN ?? 'x'}_${process.pid}_${++counter}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = databaseUrl(base, name);
  if (migrate) await runMigrations(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      const a = new Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes (then throws with the last value). */
export async function waitFor<T>(
  fn: () => Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last as Truthy<T>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function count(client: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await client.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}

/** A PostgreSQL server of the test's own, in its own process, which the test may stop and start again. */
export class OwnPostgres {
  private proc?: import('node:child_process').ChildProcess;
  url = '';

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  async start(): Promise<string> {
    const { spawn } = await import('node:child_process');
    const proc = spawn(process.execPath, [built('lib/postgres-process'), this.dir, String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    let out = '';
    this.url = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /ready (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      proc.once('exit', (code) => reject(new Error(`postgres exited with ${code}: ${out}`)));
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}
