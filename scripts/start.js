#!/usr/bin/env node
// `npm start`: the whole system on one machine. Embedded PostgreSQL unless DATABASE_URL is set, an embedded MQTT
// broker unless MQTT_URL is set, migrations, the first admin user, ingest, the API serving the dashboard and — on the
// embedded defaults only — a simulated fleet. Ctrl-C stops everything.
require('dotenv').config({ quiet: true });
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { runMigrations } = require('../libs/domain/dist');
const { ensureAdmin } = require('./lib/admin');
const {
  assertPortFree,
  PortTakenError,
  startEmbeddedBroker,
  startEmbeddedPostgres,
} = require('./lib/embedded');
const { startSimulator } = require('./simulate');

const ROOT = path.resolve(__dirname, '..');
const env = process.env;
// DATA_DIR: where the embedded PostgreSQL and the generated JWT secret live (default .data/)
const DATA = env.DATA_DIR ? path.resolve(env.DATA_DIR) : path.join(ROOT, '.data');
const WEB_DIST = path.join(ROOT, 'apps/web/dist/browser');

class StartError extends Error {}

const ROUTINE = /\bLOG\b|"level":"(log|debug|verbose)"/;

function intKey(key, fallback, min = 1, max = 65535) {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new StartError(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

const redact = (url) => url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
const say = (line) => process.stdout.write(`${line}\n`);

async function main() {
  const port = intKey('PORT', 3000);
  const host = env.HOST || '127.0.0.1';
  const pgPort = intKey('PG_PORT', 54329);
  const mqttPort = intKey('MQTT_PORT', 1883);
  const simulate = (env.SIMULATE ?? '1') !== '0';
  const stops = []; // run in reverse on exit
  let children = [];
  let stopping = false;

  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
            c.once('exit', () => (clearTimeout(t), resolve()));
            c.kill('SIGTERM');
          }),
      ),
    );
    for (const stop of stops.reverse()) await stop().catch((err) => say(`stop: ${err.message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  // every port first, so a taken one fails before anything has started
  const mqttHost = env.MQTT_HOST || '127.0.0.1';
  const pgPortHint = 'PG_PORT to a free port, or DATABASE_URL to use a running PostgreSQL';
  const mqttPortHint = 'MQTT_PORT to a free port, or MQTT_URL to use a running broker';
  await assertPortFree(port, host, 'PORT to a free port');
  if (!env.DATABASE_URL) await assertPortFree(pgPort, '127.0.0.1', pgPortHint);
  if (!env.MQTT_URL) await assertPortFree(mqttPort, mqttHost, mqttPortHint);
  fs.mkdirSync(DATA, { recursive: true });

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({
      dir: path.join(DATA, 'postgres'),
      port: pgPort,
      portVariable: pgPortHint,
    }).catch((err) => {
      throw new StartError(`the embedded PostgreSQL did not start: ${String(err.message).split('\n')[0]}`);
    });
    stops.push(pg.stop);
    const admin = new Client({ connectionString: pg.url('postgres') });
    await admin.connect();
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'sensorhub'`);
    if (!exists.rowCount) await admin.query('CREATE DATABASE sensorhub');
    await admin.end();
    databaseUrl = pg.url('sensorhub');
  }
  let mqttUrl = env.MQTT_URL;
  if (!mqttUrl) {
    const broker = await startEmbeddedBroker({ port: mqttPort, host: mqttHost, portVariable: mqttPortHint });
    stops.push(broker.stop);
    mqttUrl = broker.url;
  }

  const applied = await runMigrations(databaseUrl);
  if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  const jwtSecret = env.JWT_SECRET || persistentSecret(path.join(DATA, 'jwt-secret'));
  const admin = await ensureAdmin(databaseUrl, {
    email: env.ADMIN_EMAIL || undefined,
    password: env.ADMIN_PASSWORD || undefined,
  });
  if (admin.generatedPassword)
    say(
      `admin user created: ${admin.email} / ${admin.generatedPassword}  (shown once — change it after logging in)`,
    );
  else if (admin.created) say(`admin user created: ${admin.email}`);
  buildDashboardIfStale();

  const common = { ...env, DATABASE_URL: databaseUrl, MQTT_URL: mqttUrl };
  if (!env.MQTT_URL && env.INGEST_SHARED_GROUP) {
    // Aedes has no shared subscriptions: a $share/… filter would match nothing and ingest would receive nothing
    say(
      'INGEST_SHARED_GROUP ignored: the embedded broker has no shared subscriptions (set MQTT_URL to a Mosquitto)',
    );
    delete common.INGEST_SHARED_GROUP;
  }
  const ingest = run('ingest', 'apps/ingest/dist/main.js', common);
  const api = run('api', 'apps/api/dist/main.js', {
    ...common,
    JWT_SECRET: jwtSecret,
    PORT: String(port),
    HOST: host,
    WEB_DIST: env.WEB_DIST || WEB_DIST,
  });
  children = [ingest.proc, api.proc];
  for (const c of children)
    c.once('exit', (code) => !stopping && (say(`${c.name} exited with ${code}: stopping`), void shutdown(1)));
  await ingest.ready;
  await waitForHttp(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/api/v1/health`);

  if (simulate && !env.DATABASE_URL && !env.MQTT_URL) {
    const sim = startSimulator({
      url: mqttUrl,
      devices: intKey('SIMULATE_DEVICES', 5, 1, 10_000),
      intervalMs: intKey('SIMULATE_INTERVAL_MS', 2000, 100, 3600_000),
      log: say,
    });
    stops.unshift(sim.stop); // stop the fleet before the broker
  }
  const web = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  say(
    `SensorHub ready — dashboard & API: ${web} (API docs ${web}/api/docs) · database: ${databaseUrl === env.DATABASE_URL ? redact(databaseUrl) : databaseUrl} · MQTT: ${redact(mqttUrl)} · Ctrl-C stops`,
  );
}

function persistentSecret(file) {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** `ng build` when the built dashboard is missing or older than its sources. */
function buildDashboardIfStale() {
  if (env.WEB_DIST) return;
  const index = path.join(WEB_DIST, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const newest = newestMtime(path.join(ROOT, 'apps/web/src'));
  if (built >= newest) return;
  say('building the dashboard (ng build; once, or after its sources change)…');
  const r = spawnSync(process.execPath, [require.resolve('@angular/cli/bin/ng.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new StartError('ng build failed (see above)');
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Runs a built app with its output prefixed; `ready` resolves on its ready message. */
function run(name, main, childEnv) {
  const proc = spawn(process.execPath, [path.join(ROOT, main)], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.name = name;
  let resolveReady;
  const ready = new Promise((r) => (resolveReady = r));
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const line of lines) {
        if (/subscribed to|listening/i.test(line)) resolveReady();
        // routine lines only when LOG_LEVEL asks for them, so the ready line stays in sight
        if (env.LOG_LEVEL || !ROUTINE.test(line)) process.stdout.write(`[${name}] ${line}\n`);
      }
    });
  }
  return { proc, ready };
}

async function waitForHttp(url, timeoutMs = 60_000) {
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

main().catch((err) => {
  if (err instanceof StartError || err instanceof PortTakenError || err.userFacing)
    console.error(`npm start: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
