'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node directly */
/* global require, module, process, console, __dirname, URL, fetch, setTimeout, clearTimeout, setInterval, clearInterval */
/**
 * Starts the real SensorHub stack for browser tests and the web benchmark: a fresh migrated database on
 * TEST_DATABASE_URL's server (else an embedded PostgreSQL), the broker at TEST_MQTT_URL (else an embedded Aedes),
 * the built api (serving the built SPA) and ingest as child processes, seeded users and readings.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const ROOT = path.resolve(__dirname, '../../..');
const WEB_DIST = path.join(ROOT, 'apps/web/dist/browser');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const PASSWORD = 'correct-horse-battery-staple';
const USERS = {
  admin: { email: 'admin@sensorhub.test', password: PASSWORD, role: 'admin' },
  operator: { email: 'operator@sensorhub.test', password: PASSWORD, role: 'operator' },
  viewer: { email: 'viewer@sensorhub.test', password: PASSWORD, role: 'viewer' },
};

/** Builds what the stack runs (incremental tsc; Angular unless WEB_SKIP_BUILD=1 and a build exists). */
function build({ web = true } = {}) {
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (tsc.status !== 0) throw new Error('tsc -b tsconfig.build.json failed');
  if (web && !(process.env.WEB_SKIP_BUILD === '1' && fs.existsSync(path.join(WEB_DIST, 'index.html')))) {
    const ng = spawnSync(process.execPath, [require.resolve('@angular/cli/bin/ng.js'), 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
    });
    if (ng.status !== 0) throw new Error('ng build failed');
  }
}

function child(name, script, env, readyText) {
  let out = '';
  const proc = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onData = (b) => {
    out += b.toString();
    if (process.env.E2E_VERBOSE) process.stderr.write(`[${name}] ${b}`);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  const ready = readyText
    ? new Promise((resolve, reject) => {
        const t = setInterval(() => out.includes(readyText) && (clearInterval(t), resolve()), 50);
        exited.then((code) => (clearInterval(t), reject(new Error(`${name} exited with ${code}:\n${out}`))));
      })
    : Promise.resolve();
  ready.catch(() => undefined);
  return {
    proc,
    output: () => out,
    ready,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function waitFor(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
  );
}

/** Deterministic seeded series: a daily cycle plus a faster wiggle, so downsampling has a visible min–max band. */
const SEED_SQL = `
  INSERT INTO readings (device_id, metric, ts, value)
  SELECT $1, m.metric, g.ts,
         round((m.base + m.amp * sin(2 * pi() * extract(epoch FROM g.ts) / 86400)
                + m.amp * 0.25 * sin(2 * pi() * extract(epoch FROM g.ts) / 1800))::numeric, 3)::float8
  FROM generate_series(date_bin('5 minutes', now() - $2::interval, 'epoch'), now() - interval '1 minute', interval '5 minutes') AS g(ts)
  CROSS JOIN (VALUES ('temperature', 21.0, 4.0), ('humidity', 55.0, 12.0)) AS m(metric, base, amp)`;

/**
 * @param {{ build?: boolean, seedDays?: number }} [opts]
 */
async function startStack(opts = {}) {
  const { Client } = require(require.resolve('pg', { paths: [path.join(ROOT, 'libs/domain')] }));
  const stops = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((e) => console.error('stop:', e.message));
  };
  try {
    if (opts.build !== false) build();
    const domain = require(path.join(ROOT, 'libs/domain/dist'));
    const embedded = require(path.join(ROOT, 'dist/scripts/lib/embedded.js'));

    let adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) {
      const pg = await embedded.startEmbeddedPostgres({
        dir: path.join(ROOT, '.data/web-e2e-postgres'),
        port: await embedded.freePort(),
      });
      stops.push(pg.stop);
      adminUrl = pg.url('postgres');
    }
    let mqttUrl = process.env.TEST_MQTT_URL;
    if (!mqttUrl) {
      const broker = await embedded.startEmbeddedBroker({ port: await embedded.freePort() });
      stops.push(broker.stop);
      mqttUrl = broker.url;
    }

    const run = `${Date.now().toString(36)}${process.pid}`;
    const dbName = `sensorhub_web_e2e_${run}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    stops.push(async () => {
      const a = new Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await a.end();
    });
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    const databaseUrl = u.toString();
    await domain.runMigrations(databaseUrl);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    stops.push(() => db.end());

    // seed: users, two devices with 30 days of 5-minute readings (unique ids: the broker may be shared)
    for (const usr of Object.values(USERS)) {
      await db.query('INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)', [
        usr.email,
        await domain.hashPassword(usr.password),
        usr.role,
      ]);
    }
    const devices = [
      {
        id: `gh-${run}`.slice(0, 64),
        name: 'Greenhouse north',
        location: 'Building A, bay 3',
        battery: 87,
        online: true,
      },
      { id: `ws-${run}`.slice(0, 64), name: 'Weather station', location: 'Roof', battery: 14, online: false },
    ];
    const seedDays = opts.seedDays ?? 30;
    for (const d of devices) {
      await db.query(
        `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online, battery)
         VALUES ($1, $2, $3, now() - $4::interval, now() - interval '1 minute', 'ok', $5, $6)`,
        [d.id, d.name, d.location, `${seedDays} days`, d.online, d.battery],
      );
      await db.query(SEED_SQL, [d.id, `${seedDays} days`]);
    }
    await db.query(`UPDATE devices SET last_seen = now() - interval '3 hours' WHERE id = $1`, [
      devices[1].id,
    ]);
    await db.query(`DELETE FROM readings WHERE device_id = $1 AND ts > now() - interval '3 hours'`, [
      devices[1].id,
    ]);
    // seeded past ingest: build the hourly rollup the api reads long ranges from
    await domain.refreshHourlyRollup(db);

    const port = await embedded.freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const api = child(
      'api',
      path.join(ROOT, 'apps/api/dist/main.js'),
      {
        DATABASE_URL: databaseUrl,
        MQTT_URL: mqttUrl,
        JWT_SECRET: randomBytes(32).toString('hex'),
        JWT_TTL: process.env.E2E_JWT_TTL ?? '15m',
        WEB_DIST,
        PORT: String(port),
        HOST: '127.0.0.1',
        THROTTLE_LIMIT: '100000',
        LOG_LEVEL: 'warn',
        ENV_FILE: path.join(ROOT, `.data/web-e2e-${run}.env`),
      },
      null,
    );
    stops.push(api.stop);
    const mqtt = require(require.resolve('mqtt', { paths: [ROOT] }));
    const ingest = child(
      'ingest',
      path.join(ROOT, 'apps/ingest/dist/main.js'),
      {
        DATABASE_URL: databaseUrl,
        MQTT_URL: mqttUrl,
        INGEST_CLIENT_ID: `web-e2e-${run}`,
        LOG_LEVEL: 'log',
      },
      'subscribed to',
    );
    stops.push(async () => {
      await ingest.stop();
      // leave no persistent session (and its queue) behind on a shared broker
      const c = await mqtt.connectAsync(mqttUrl, {
        clientId: `web-e2e-${run}`,
        clean: true,
        reconnectPeriod: 0,
      });
      await c.endAsync();
    });
    await waitFor(
      async () => (await fetch(`${baseUrl}/api/v1/health`)).ok,
      30_000,
      `api health at ${baseUrl} — output:\n${api.output()}`,
    ).catch((e) => {
      throw new Error(`${e.message}\napi output:\n${api.output()}`);
    });
    await ingest.ready;

    const publisher = await mqtt.connectAsync(mqttUrl, { clientId: `web-e2e-pub-${run}`, clean: true });
    stops.push(() => publisher.endAsync());

    return {
      baseUrl,
      databaseUrl,
      db,
      users: USERS,
      devices,
      api,
      ingest,
      /** publishes one reading the way a sensor does (QoS 1) */
      publish: (topic, payload) =>
        publisher.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
          qos: 1,
        }),
      /**
       * Subscribes (QoS 1) to one exact topic; resolves once the broker acknowledged the subscription, with the
       * messages received from then on ({ topic, payload } as text) and an unsubscribe().
       */
      subscribe: async (topic) => {
        const messages = [];
        const onMessage = (t, payload) =>
          t === topic && messages.push({ topic: t, payload: payload.toString() });
        publisher.on('message', onMessage);
        await publisher.subscribeAsync(topic, { qos: 1 });
        return {
          messages,
          unsubscribe: async () => {
            publisher.off('message', onMessage);
            await publisher.unsubscribeAsync(topic);
          },
        };
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Chromium from the OS (never a downloaded browser). */
async function launchBrowser() {
  const { chromium } = require('playwright-core');
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Signs in through the login form; resolves when the overview (or returnUrl) shows. */
async function login(page, baseUrl, user, path_ = '/') {
  await page.goto(baseUrl + path_);
  await page.waitForSelector('form[aria-labelledby="login-title"]');
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', user.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('button[type=submit]'),
  ]);
}

module.exports = { startStack, launchBrowser, login, build, waitFor, USERS, ROOT, WEB_DIST };
