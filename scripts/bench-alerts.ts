// Alerts: (1) ingest throughput with 0 and with 100 enabled alert rules (bench:ingest with BENCH_RULES), and
// (2) latency from a committed reading to its alert's SSE event at a steady publish rate, through the real path:
// MQTT → ingest → readings trigger → alert processor (api) → NOTIFY → SSE. Prints figures; asserts nothing.
//   DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres)   BENCH_MESSAGES for part 1 (100000)
//   BENCH_ROUNDS pairs of ingest runs for part 1 (2)   BENCH_RATE readings/s (1000)   BENCH_SECONDS (20)   BENCH_DEVICES for part 2 (100)   BENCH_SKIP_INGEST=1: part 2 only
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';

import mqtt from 'mqtt';

import { startApiProcess, startIngestProcess } from './lib/apps';
import { startOwnBroker } from './lib/brokers';
import { ownDatabase } from './lib/databases';
import { built } from './lib/paths';
import { accessToken, postJson } from './lib/sessions';
import { insertUsers } from './lib/seed';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);
const SECRET = 'bench-jwt-secret-that-is-long-enough-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** One bench:ingest run with `rules` enabled rules: ingest's rate, and its ratio to the plain rate of the same run. */
function ingestRate(rules: number): { rate: number; ratio: number } {
  const out = execFileSync(process.execPath, [built('bench-ingest')], {
    env: {
      ...process.env,
      BENCH_RULES: String(rules),
      BENCH_MESSAGES: process.env.BENCH_MESSAGES ?? '100000',
      BENCH_LATENCY_SECONDS: process.env.BENCH_LATENCY_SECONDS ?? '1',
    },
    encoding: 'utf8',
  });
  const m = /ingest, published → committed:\s+([\d,]+) msg\/s/.exec(out);
  const r = /ratio ingest \/ plain: ([\d.]+)/.exec(out);
  if (!m || !r) throw new Error(`bench:ingest printed no rate:\n${out}`);
  return { rate: Number(m[1].replace(/,/g, '')), ratio: Number(r[1]) };
}

/**
 * Ingest with 0 and with 100 rules in the order 0, 100, 100, 0 (BENCH_ROUNDS pairs; a machine whose speed drifts
 * during the runs weighs on both sides alike), compared by the ratio to the plain publisher → subscriber rate each
 * run measures beside it: the machine's speed of the moment divides out.
 */
function ruleCost(): void {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const runs: Record<0 | 100, { rate: number; ratio: number }[]> = { 0: [], 100: [] };
  for (let i = 0; i < rounds; i++)
    for (const rules of (i % 2 === 0 ? [0, 100] : [100, 0]) as (0 | 100)[]) {
      const r = ingestRate(rules);
      runs[rules].push(r);
      console.log(
        `ingest with ${String(rules).padStart(3)} rules: ${r.rate.toLocaleString('en')} msg/s, ratio to plain ${r.ratio.toFixed(2)} (load ${os.loadavg()[0].toFixed(1)})`,
      );
    }
  const mean = (xs: { ratio: number }[]) => xs.reduce((a, x) => a + x.ratio, 0) / xs.length;
  const [none, hundred] = [mean(runs[0]), mean(runs[100])];
  console.log(
    `mean ratio to plain: 0 rules ${none.toFixed(3)}, 100 rules ${hundred.toFixed(3)} (${(((hundred - none) / none) * 100).toFixed(1)} %)`,
  );
}

async function latency() {
  const database = await ownDatabase(ADMIN_URL, `sensorhub_bench_alerts_${Date.now()}`);
  const db = database.client;
  const broker = await startOwnBroker();
  const apps = [];
  let live: http.ClientRequest | undefined;
  try {
    await insertUsers(db, [{ email: 'bench@example.com', password: 'bench password 123', role: 'viewer' }]);
    await db.query(`INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity)
      VALUES ('bench hot', 'all', 'temperature', 'above', 50, 40, 'critical')`);
    const ingest = startIngestProcess({
      DATABASE_URL: database.url,
      MQTT_URL: broker.url,
      INGEST_CLIENT_ID: `bench-alerts-${process.pid}`,
    });
    const api = startApiProcess({ DATABASE_URL: database.url, MQTT_URL: broker.url, JWT_SECRET: SECRET });
    apps.push(ingest, api);
    await ingest.ready;
    const base = await api.url;
    const token = await accessToken(base, 'bench@example.com', 'bench password 123');
    const { ticket } = await postJson<{ ticket: string }>(base, '/api/v1/live/ticket', {}, token);

    // SSE: when each breaching reading's `readings` event (≈ its commit) and its `alert` event arrived
    const committedAt = new Map<string, number>();
    const alertAt = new Map<string, number>();
    await new Promise<void>((resolve) => {
      live = http.get(`${base}/api/v1/live?ticket=${encodeURIComponent(ticket)}`, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const now = performance.now();
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === 'ready') resolve();
            if (event === 'readings')
              for (const r of JSON.parse(data!) as { deviceId: string; ts: string; value: number }[])
                if (r.value > 50) committedAt.set(`${r.deviceId}@${Date.parse(r.ts)}`, now);
            if (event === 'alert') {
              const a = JSON.parse(data!) as { transition: string; deviceId: string; at: string };
              if (a.transition === 'firing') alertAt.set(`${a.deviceId}@${Date.parse(a.at)}`, now);
            }
          }
        });
      });
    });

    // RATE readings/s over DEVICES devices; each device breaches once every 10 s (then clears at once)
    const pub = await mqtt.connectAsync(broker.url, { clientId: `bench-alerts-pub-${process.pid}` });
    const publishedAt = new Map<string, number>();
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
    const fromCommit: number[] = [];
    const fromPublish: number[] = [];
    for (const [key, at] of alertAt) {
      if (committedAt.has(key)) fromCommit.push(at - committedAt.get(key)!);
      if (publishedAt.has(key)) fromPublish.push(at - publishedAt.get(key)!);
    }
    const stored = Number((await db.query(`SELECT count(*) AS n FROM readings`)).rows[0].n);
    const fired = Number(
      (await db.query(`SELECT count(*) AS n FROM alerts WHERE fired_at IS NOT NULL`)).rows[0].n,
    );
    console.log(
      `published ${total.toLocaleString('en')} readings in ${elapsed.toFixed(1)} s (${Math.round(total / elapsed)}/s) over ${DEVICES} devices; stored ${stored.toLocaleString('en')}; breaching ${publishedAt.size}, alerts fired ${fired}, SSE alert events ${alertAt.size}`,
    );
    const f = (xs: number[]) =>
      `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;
    if (fromCommit.length) console.log(`commit (its readings SSE event) → alert SSE event: ${f(fromCommit)}`);
    if (fromPublish.length)
      console.log(`MQTT publish → alert SSE event:                    ${f(fromPublish)}`);
  } finally {
    live?.destroy(); // an open stream would hold the api's graceful stop (and this process) open
    for (const a of apps) await a.stop();
    await broker.stop();
    await database.drop();
  }
}

async function main() {
  console.log(`bench:alerts — ${os.cpus().length} cores`);
  if (process.env.BENCH_SKIP_INGEST !== '1') {
    ruleCost();
  }
  await latency();
}

main().catch((err: Error) => {
  console.error(`bench:alerts: ${err.message}`);
  process.exit(1);
});
