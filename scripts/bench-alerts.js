#!/usr/bin/env node
// Alerts: (1) ingest throughput with 0 and with 100 enabled alert rules (bench:ingest with BENCH_RULES), and
// (2) latency from a committed reading to its alert's SSE event at a steady publish rate, through the real path:
// MQTT → ingest → readings trigger → alert processor (api) → NOTIFY → SSE. Prints figures; asserts nothing.
//   DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres)   BENCH_MESSAGES for part 1 (100000)
//   BENCH_RATE readings/s (1000)   BENCH_SECONDS (20)   BENCH_DEVICES for part 2 (100)   BENCH_SKIP_INGEST=1: part 2 only
const { execFileSync, spawn } = require('node:child_process');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const mqtt = require('mqtt');
const { Client } = require('pg');
const { hashPassword, runMigrations } = require('../libs/domain/dist');
const { freePort, startEmbeddedBroker } = require('../dist/scripts/lib/embedded');
const { hasMosquitto, startMosquitto } = require('../dist/scripts/lib/mosquitto');

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);
const SECRET = 'bench-jwt-secret-that-is-long-enough-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dbUrl = (name) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function ingestRate(rules) {
  const out = execFileSync(process.execPath, [path.join(__dirname, '../dist/scripts/bench-ingest.js')], {
    env: {
      ...process.env,
      BENCH_RULES: String(rules),
      BENCH_MESSAGES: process.env.BENCH_MESSAGES ?? '100000',
    },
    encoding: 'utf8',
  });
  const m = /ingest, published → committed:\s+([\d,]+) msg\/s/.exec(out);
  return Number(m[1].replace(/,/g, ''));
}

function startApp(main, env, ready) {
  let log = '';
  const proc = spawn(process.execPath, [path.resolve(__dirname, main)], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (b) => (log += b));
  proc.stderr.on('data', (b) => (log += b));
  const started = (async () => {
    let m;
    while (!(m = ready.exec(log))) {
      if (proc.exitCode !== null) throw new Error(`${main} exited:\n${log}`);
      await sleep(50);
    }
    return m;
  })();
  return {
    proc,
    started,
    stop: () =>
      new Promise((r) => (proc.exitCode !== null ? r() : (proc.once('exit', r), proc.kill('SIGTERM')))),
  };
}

async function post(base, route, body, token) {
  const res = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function latency() {
  const name = `sensorhub_bench_alerts_${Date.now()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = dbUrl(name);
  await runMigrations(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  let broker;
  if (hasMosquitto()) broker = await startMosquitto(await freePort(), {});
  else broker = await startEmbeddedBroker({ port: await freePort() });
  const apps = [];
  try {
    await db.query(
      `INSERT INTO users (email, password_hash, role) VALUES ('bench@example.com', $1, 'viewer')`,
      [await hashPassword('bench password 123')],
    );
    await db.query(`INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity)
      VALUES ('bench hot', 'all', 'temperature', 'above', 50, 40, 'critical')`);
    const ingest = startApp(
      '../apps/ingest/dist/main.js',
      { DATABASE_URL: url, MQTT_URL: broker.url, INGEST_CLIENT_ID: `bench-alerts-${process.pid}` },
      /subscribed to/,
    );
    const api = startApp(
      '../apps/api/dist/main.js',
      {
        DATABASE_URL: url,
        MQTT_URL: broker.url,
        PORT: '0',
        JWT_SECRET: SECRET,
        THROTTLE_LIMIT: '1000000',
        ENV_FILE: '/nonexistent',
      },
      /"msg":"listening","url":"([^"]+)"/,
    );
    apps.push(ingest, api);
    await ingest.started;
    const base = (await api.started)[1].replace('[::1]', '127.0.0.1');
    const { accessToken } = await post(base, '/api/v1/auth/login', {
      email: 'bench@example.com',
      password: 'bench password 123',
    });
    const { ticket } = await post(base, '/api/v1/live/ticket', {}, accessToken);

    // SSE: when each breaching reading's `readings` event (≈ its commit) and its `alert` event arrived
    const committedAt = new Map();
    const alertAt = new Map();
    await new Promise((resolve) => {
      http.get(`${base}/api/v1/live?ticket=${encodeURIComponent(ticket)}`, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buf += chunk;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const now = performance.now();
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === 'ready') resolve();
            if (event === 'readings')
              for (const r of JSON.parse(data))
                if (r.value > 50) committedAt.set(`${r.deviceId}@${Date.parse(r.ts)}`, now);
            if (event === 'alert') {
              const a = JSON.parse(data);
              if (a.transition === 'firing') alertAt.set(`${a.deviceId}@${Date.parse(a.at)}`, now);
            }
          }
        });
      });
    });

    // RATE readings/s over DEVICES devices; each device breaches once every 10 s (then clears at once)
    const pub = await new Promise((resolve, reject) => {
      const c = mqtt.connect(broker.url, { clientId: `bench-alerts-pub-${process.pid}` });
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    });
    const publishedAt = new Map();
    const perDevice = RATE / DEVICES;
    const breachEvery = Math.max(2, Math.round(perDevice * 10));
    const t0 = performance.now();
    const total = RATE * SECONDS;
    let sent = 0;
    let lastTs = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      for (; sent < due; sent++) {
        const dev = sent % DEVICES;
        const k = Math.floor(sent / DEVICES);
        const value = (k + dev) % breachEvery === 0 ? 60 : 20;
        let ts = Date.now();
        if (ts <= lastTs) ts = lastTs + 1; // unique per device: ts is unique overall
        lastTs = ts;
        const id = `b${dev}`;
        if (value > 50) publishedAt.set(`${id}@${ts}`, performance.now());
        pub.publish(`devices/${id}/temperature`, JSON.stringify({ value, ts }), { qos: 1 });
      }
      await sleep(5);
    }
    const elapsed = (performance.now() - t0) / 1000;
    await sleep(3000);
    await pub.endAsync();
    const fromCommit = [];
    const fromPublish = [];
    for (const [key, at] of alertAt) {
      if (committedAt.has(key)) fromCommit.push(at - committedAt.get(key));
      if (publishedAt.has(key)) fromPublish.push(at - publishedAt.get(key));
    }
    const stored = Number((await db.query(`SELECT count(*) AS n FROM readings`)).rows[0].n);
    const fired = Number(
      (await db.query(`SELECT count(*) AS n FROM alerts WHERE fired_at IS NOT NULL`)).rows[0].n,
    );
    console.log(
      `published ${total.toLocaleString('en')} readings in ${elapsed.toFixed(1)} s (${Math.round(total / elapsed)}/s) over ${DEVICES} devices; stored ${stored.toLocaleString('en')}; breaching ${publishedAt.size}, alerts fired ${fired}, SSE alert events ${alertAt.size}`,
    );
    const f = (xs) =>
      `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
    if (fromCommit.length) console.log(`commit (its readings SSE event) → alert SSE event: ${f(fromCommit)}`);
    if (fromPublish.length)
      console.log(`MQTT publish → alert SSE event:                    ${f(fromPublish)}`);
  } finally {
    for (const a of apps) await a.stop();
    await db.end();
    await broker.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main() {
  console.log(`bench:alerts — ${require('node:os').cpus().length} cores`);
  if (process.env.BENCH_SKIP_INGEST !== '1') {
    const none = ingestRate(0);
    const hundred = ingestRate(100);
    console.log(`ingest with   0 rules: ${none.toLocaleString('en')} msg/s`);
    console.log(
      `ingest with 100 rules: ${hundred.toLocaleString('en')} msg/s (${(((hundred - none) / none) * 100).toFixed(1)} %)`,
    );
  }
  await latency();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
