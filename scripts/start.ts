#!/usr/bin/env node
// `npm start`: the whole system on one machine. Embedded PostgreSQL unless DATABASE_URL is set, an embedded MQTT
// broker unless MQTT_URL is set, migrations, the first admin user, ingest, the API serving the dashboard and — on the
// embedded defaults only — a simulated fleet. Ctrl-C stops everything.

// first of all: a Ctrl-C while the modules below load has nothing to stop yet
import { onStopSignal } from './lib/signals';

import { ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as dotenv from 'dotenv';

import { runMigrations } from '@sensorhub/domain';

import { ensureAdmin } from './lib/admin';
import { createDatabase } from './lib/databases';
import { buildDashboardIfStale } from './lib/dashboard';
import {
  assertPortFree,
  EmbeddedBroker,
  PostgresHandle,
  startEmbeddedBroker,
  startEmbeddedPostgres,
} from './lib/embedded';
import { ROOT, WEB_DIST } from './lib/paths';
import { Simulator, startSimulator } from './simulate';

// .env (or ENV_FILE) as the apps read it: keys of the real environment win. The apps get the real environment
// and read the file themselves, so GET /rereadenv can still change what came from the file.
const ENV_FILE = path.resolve(process.env.ENV_FILE || '.env');
const env = { ...readEnvFile(ENV_FILE), ...process.env };
// DATA_DIR: where the embedded PostgreSQL and the generated JWT secret live (default .data/)
const DATA = env.DATA_DIR ? path.resolve(env.DATA_DIR) : path.join(ROOT, '.data');

class StartError extends Error {}

function readEnvFile(file: string): Record<string, string> {
  try {
    return dotenv.parse(fs.readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

const ROUTINE = /\bLOG\b|"level":"(log|debug|verbose)"/;

function intKey(key: string, fallback: number, min = 1, max = 65535): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new StartError(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

const redact = (url: string) => url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
const say = (line: string) => process.stdout.write(`${line}\n`);

// what runs, registered as soon as it exists: stopped in this order, whatever start-up step Ctrl-C came in
type App = ChildProcess & { name: string };
const running: { sim?: Simulator; apps: App[]; broker?: EmbeddedBroker; pg?: PostgresHandle } = { apps: [] };
let stopping = false;

function stopApp(c: App): Promise<void> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
    c.once('exit', () => (clearTimeout(t), resolve()));
    c.kill('SIGTERM'); // a terminal's Ctrl-C reached them already: this is for a SIGTERM to us, or a failed start
  });
}

function step(what: string, work: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work().catch((err: Error) => void say(`stop ${what}: ${err.message}`)),
    new Promise<void>(
      (r) => (timer = setTimeout(() => (say(`stop ${what}: no answer in ${ms / 1000} s`), r()), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

async function shutdown(code: number, { quiet = false } = {}): Promise<never> {
  if (stopping) {
    // a second Ctrl-C: stop at once; ingest's unacknowledged messages stay with the broker for redelivery
    say('stopping at once');
    for (const c of running.apps) c.kill('SIGKILL');
    running.pg?.kill();
    process.exit(130);
  }
  stopping = true;
  if (!quiet) say('stopping…');
  // the fleet first (it publishes to the broker), then the apps (ingest commits its last batch), then the
  // broker, and PostgreSQL last; PostgreSQL runs in its own process group, so Ctrl-C did not stop it early
  if (running.sim) await step('simulator', running.sim.stop, 5000);
  await Promise.all(running.apps.map(stopApp));
  if (running.broker) await step('broker', running.broker.stop, 5000);
  if (running.pg) await step('PostgreSQL', running.pg.stop, 15_000);
  process.exit(code);
}

/** Start-up steps call this, so nothing new starts once stopping began. */
function go(): void {
  if (stopping) throw new Stopping();
}

class Stopping extends Error {}

async function main() {
  onStopSignal(() => void shutdown(0));

  const port = intKey('PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const pgPort = intKey('PG_PORT', 54329);
  const mqttPort = intKey('MQTT_PORT', 1883);
  const simulate = (env.SIMULATE ?? '1') !== '0';
  // every port first, so a taken one fails before anything has started
  const mqttHost = env.MQTT_HOST || '127.0.0.1';
  const pgPortHint = 'PG_PORT to a free port, or DATABASE_URL to use a running PostgreSQL';
  const mqttPortHint = 'MQTT_PORT to a free port, or MQTT_URL to use a running broker';
  await assertPortFree(port, host, 'PORT to a free port');
  if (!env.DATABASE_URL) await assertPortFree(pgPort, '127.0.0.1', pgPortHint);
  if (!env.MQTT_URL) await assertPortFree(mqttPort, mqttHost, mqttPortHint);
  fs.mkdirSync(DATA, { recursive: true });

  // what the apps get on top of the real environment: only what this script decides
  const computed: Record<string, string> = { ENV_FILE };
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    go();
    const pg = await startEmbeddedPostgres({
      dir: path.join(DATA, 'postgres'),
      port: pgPort,
      portVariable: pgPortHint,
      relocate: !env.DATA_DIR, // as root, an unreachable default .data/ moves; a chosen DATA_DIR is an error
      onSpawn: (handle) => (running.pg = handle),
    }).catch((err) => {
      throw new StartError(
        `the embedded PostgreSQL did not start: ${String((err as Error).message).split('\n')[0]}`,
      );
    });
    if (pg.note) say(pg.note);
    // migrated below, once the broker runs too
    databaseUrl = computed.DATABASE_URL = await createDatabase(pg.url('postgres'), 'sensorhub', {
      ifMissing: true,
      migrate: false,
    });
  }
  let mqttUrl = env.MQTT_URL;
  if (!mqttUrl) {
    go();
    running.broker = await startEmbeddedBroker({
      port: mqttPort,
      host: mqttHost,
      portVariable: mqttPortHint,
    });
    mqttUrl = computed.MQTT_URL = running.broker.url;
  }

  go();
  const applied = await runMigrations(databaseUrl);
  if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  if (!env.JWT_SECRET) computed.JWT_SECRET = persistentSecret(path.join(DATA, 'jwt-secret'));
  const admin = await ensureAdmin(databaseUrl, {
    email: env.ADMIN_EMAIL || undefined,
    password: env.ADMIN_PASSWORD || undefined,
  });
  if (admin.generatedPassword)
    say(
      `admin user created: ${admin.email} / ${admin.generatedPassword}  (shown once — change it after logging in)`,
    );
  else if (admin.created) say(`admin user created: ${admin.email}`);
  go();
  if (!env.WEB_DIST) buildDashboardIfStale(say);

  if (!env.MQTT_URL && env.INGEST_SHARED_GROUP) {
    // Aedes has no shared subscriptions: a $share/… filter would match nothing and ingest would receive nothing
    say(
      'INGEST_SHARED_GROUP ignored: the embedded broker has no shared subscriptions (set MQTT_URL to a Mosquitto)',
    );
    computed.INGEST_SHARED_GROUP = ''; // set, so it wins over the file; empty counts as unset
  }
  const appEnv = { ...process.env, ...computed };
  go();
  const ingest = run('ingest', 'apps/ingest/dist/main.js', appEnv);
  running.apps.push(ingest.proc);
  // PORT and HOST: the api reads them from the same environment and file, with the same defaults
  const api = run('api', 'apps/api/dist/main.js', { ...appEnv, ...(env.WEB_DIST ? {} : { WEB_DIST }) });
  running.apps.push(api.proc);
  for (const c of running.apps)
    c.once('exit', (code) => !stopping && (say(`${c.name} exited with ${code}: stopping`), void shutdown(1)));
  await ingest.ready;
  await waitForHttp(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/api/v1/health`);

  go();
  if (simulate && !env.DATABASE_URL && !env.MQTT_URL) {
    running.sim = startSimulator({
      url: mqttUrl,
      devices: intKey('SIMULATE_DEVICES', 5, 1, 10_000),
      intervalMs: intKey('SIMULATE_INTERVAL_MS', 2000, 100, 3600_000),
      log: say,
    });
  }
  const web = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  say(
    `SensorHub ready — dashboard & API: ${web} (API docs ${web}/api/docs) · database: ${databaseUrl === env.DATABASE_URL ? redact(databaseUrl) : databaseUrl} · MQTT: ${redact(mqttUrl)} · publish a reading: ${publishCommand(mqttUrl)} · Ctrl-C stops`,
  );
}

/** The mosquitto_pub command that reaches this run's broker (credentials only named, never printed). */
function publishCommand(mqttUrl: string): string {
  const u = new URL(mqttUrl);
  const tls = u.protocol === 'mqtts:' || u.protocol === 'tls:';
  const port = u.port || (tls ? '8883' : '1883');
  const user = decodeURIComponent(u.username) || env.MQTT_USERNAME;
  return [
    'mosquitto_pub',
    `-h ${u.hostname}`,
    `-p ${port}`,
    ...(tls ? ['--tls-use-os-certs'] : []),
    ...(user ? [`-u ${user} -P <MQTT password>`] : []),
    '-q 1 -t devices/t0000001/temperature -m 21.5',
  ].join(' ');
}

function persistentSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Runs a built app with its output prefixed; `ready` resolves on its ready message. */
function run(name: string, main: string, childEnv: NodeJS.ProcessEnv): { proc: App; ready: Promise<void> } {
  const proc = spawn(process.execPath, [path.join(ROOT, main)], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as App;
  proc.name = name;
  let resolveReady: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        if (/subscribed to|listening/i.test(line)) resolveReady();
        // routine lines only when LOG_LEVEL asks for them, so the ready line stays in sight
        if (env.LOG_LEVEL || !ROUTINE.test(line)) process.stdout.write(`[${name}] ${line}\n`);
      }
    });
  }
  return { proc, ready };
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500 || res.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new StartError(`the API did not answer at ${url} within ${timeoutMs / 1000} s`);
}

function fail(err: unknown): void {
  if (stopping) return; // Ctrl-C during start-up: shutdown() ends the process
  // one line, whatever failed; what already runs is stopped in order
  console.error(`npm start: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  void shutdown(1, { quiet: true });
}

// an error no step awaits, such as a connection of a start-up step that a Ctrl-C's stop of PostgreSQL ended (an
// idle pg client emits it as an event): expected while stopping, else a failure like any other
process.on('uncaughtException', fail);
main().catch(fail);
