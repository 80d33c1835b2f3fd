// Ingest throughput: N QoS 1 messages through a real broker into a fresh database, against a plain QoS 1
// publisher → subscriber through the same broker; then the publish → commit latency at a steady rate. Prints
// figures; asserts nothing.
//   DATABASE_URL  server to create the bench database on (default postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_MESSAGES (200000)  BENCH_DEVICES (1000)  BENCH_WINDOW: unacknowledged publishes in flight (2000)
//   BENCH_LATENCY_RATE (1000 msg/s)  BENCH_LATENCY_SECONDS (10): the steady run for the latency figures
//   MQTT_URL: use this broker instead of starting Mosquitto with the shipped config (or Aedes if not installed)
//   --redis: also ingest with the Redis stream output on (REDIS_URL, default redis://127.0.0.1:6379), same run
//   BENCH_PERSISTENCE=1: Mosquitto also with the shipped persistence (saves every second), to measure its cost
//   BENCH_RULES (0): enabled alert rules on the published metric (never firing), to measure the readings trigger
//   BENCH_INGEST_NODE_ARGS: extra node flags for ingest (e.g. --cpu-prof)
//   --sink: a minimal sink (scripts/lib/minimal-sink.ts: PUBACK on receipt, multi-row INSERT into readings) instead
//   of ingest, the reference for ingest's own cost; --sink-plain: the same into a table without the rollup triggers
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import Redis from 'ioredis';
import mqtt, { IClientOptions, MqttClient } from 'mqtt';
import { Client } from 'pg';

import { LIVE_CHANNEL, runMigrations } from '@sensorhub/domain';

import { freePort, startEmbeddedBroker } from './lib/embedded';
import { hasMosquitto, startMosquitto } from './lib/mosquitto';

const N = Number(process.env.BENCH_MESSAGES ?? 200_000);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 1000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 2000);
const RULES = Number(process.env.BENCH_RULES ?? 0);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = path.resolve(__dirname, '../..');
const SINK = process.argv.includes('--sink-plain')
  ? 'sink_readings'
  : process.argv.includes('--sink')
    ? 'readings'
    : undefined;
/** the table the run writes: readings, unless the sink writes its own */
const TABLE = SINK ?? 'readings';

interface Broker {
  url: string;
  pid?: number;
  stop(): Promise<unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dbUrl = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();

function connect(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 500, ...opts });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** CPU seconds (user + system) a process has used so far, 0 once it is gone (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** CPU seconds of each PostgreSQL backend serving `database`, but `db`'s own connection. */
async function backendsCpu(db: Client, database: string): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
}
const sumDelta = (after: Map<number, number>, before: Map<number, number>) =>
  [...after].reduce((s, [pid, cpu]) => s + cpu - (before.get(pid) ?? 0), 0);

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Publishes N messages at QoS 1 keeping WINDOW unacknowledged; message i is unique per (device, metric, ts). */
async function publishAll(client: MqttClient, tag: string): Promise<void> {
  const base = Date.now() - 3600_000;
  let next = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (next < N && next - done < WINDOW) {
        const i = next++;
        const payload = `{"value":${(20 + (i % 100) / 10).toFixed(1)},"ts":${base + Math.floor(i / DEVICES)}}`;
        client.publish(`devices/${tag}${i % DEVICES}/temperature`, payload, { qos: 1 }, (err) => {
          if (err) return reject(err);
          done++;
          if (done === N) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

async function plainRate(broker: Broker): Promise<{ rate: number; brokerCpu?: number; benchCpu: number }> {
  const cpu0 = cpuSeconds(broker.pid);
  const bench0 = cpuSeconds(process.pid);
  const sub = await connect(broker.url, { clientId: `bench-sub-${process.pid}`, clean: true });
  let received = 0;
  let finished!: (t: number) => void;
  const all = new Promise<number>((r) => (finished = r));
  sub.on('message', () => ++received === N && finished(Date.now()));
  await sub.subscribeAsync('devices/#', { qos: 1 });
  const pub = await connect(broker.url, { clientId: `bench-pub-${process.pid}` });
  const t0 = Date.now();
  await publishAll(pub, 'plain');
  const t1 = await all;
  await Promise.all([pub.endAsync(), sub.endAsync()]);
  return {
    rate: N / ((t1 - t0) / 1000),
    brokerCpu: broker.pid ? cpuSeconds(broker.pid) - cpu0 : undefined,
    benchCpu: cpuSeconds(process.pid) - bench0,
  };
}

/**
 * Publish → commit latency at a steady rate: each message's commit is seen in ingest's NOTIFY (delivered only on
 * commit), matched by device and timestamp to the time it was published.
 */
async function latency(url: string, databaseUrl: string) {
  const listener = new Client({ connectionString: databaseUrl });
  await listener.connect();
  const sent = new Map<string, number>();
  const seen: number[] = [];
  listener.on('notification', (n) => {
    const now = performance.now();
    const readings = (JSON.parse(n.payload ?? '{}') as { readings?: Array<[string, string, number]> })
      .readings;
    for (const [device, , ts] of readings ?? []) {
      const t = sent.get(`${device}|${ts}`);
      if (t !== undefined) seen.push(now - t);
    }
  });
  await listener.query(`LISTEN ${LIVE_CHANNEL}`);
  const pub = await connect(url, { clientId: `bench-lat-${process.pid}` });
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const base = Date.now() - 7200_000;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / LATENCY_RATE - performance.now();
    if (wait > 1) await sleep(wait);
    const device = `lat${i % 100}`;
    const ts = base + i;
    sent.set(`${device}|${ts}`, performance.now());
    pub.publish(`devices/${device}/temperature`, `{"value":1,"ts":${ts}}`, { qos: 1 });
  }
  const deadline = Date.now() + 10_000;
  while (seen.length < total && Date.now() < deadline) await sleep(50);
  await pub.endAsync();
  await listener.end();
  const s = seen.sort((a, b) => a - b);
  return { n: s.length, total, p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1] };
}

async function ingestRate(
  broker: Broker,
  databaseUrl: string,
  db: Client,
  extraEnv: Record<string, string> = {},
  measureLatency = false,
) {
  const clientId = `bench-ingest-${process.pid}`;
  const metricsPort = await freePort();
  let log = '';
  const ingest: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_INGEST_NODE_ARGS ?? '').split(' ').filter(Boolean),
      SINK ? path.join(__dirname, 'lib/minimal-sink.js') : path.join(ROOT, 'apps/ingest/dist/main.js'),
    ],
    {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        MQTT_URL: broker.url,
        INGEST_CLIENT_ID: clientId,
        INGEST_METRICS_PORT: String(metricsPort),
        ...(SINK ? { SINK_TABLE: SINK } : {}),
        ...extraEnv,
        // INGEST_* settings of the bench's environment reach ingest, to measure them
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('INGEST_'))),
        LOG_LEVEL: 'log',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  ingest.stdout!.on('data', (b) => (log += b));
  ingest.stderr!.on('data', (b) => (log += b));
  while (!log.includes('subscribed to')) {
    if (ingest.exitCode !== null) throw new Error(`ingest exited:\n${log}`);
    await sleep(50);
  }
  const pub = await connect(broker.url, { clientId: `bench-pub2-${process.pid}` });
  const database = new URL(databaseUrl).pathname.slice(1);
  const cpu0 = {
    ingest: cpuSeconds(ingest.pid),
    broker: cpuSeconds(broker.pid),
    pg: await backendsCpu(db, database),
    bench: cpuSeconds(process.pid),
  };
  // progress from the hourly rollup, kept in each batch's transaction: a sum over ~1,000 rows, where count(*) of
  // readings scanned up to 200,000 rows in three processes per poll; polled every 10 ms, so that the time of the
  // last commit is known to about that, as the plain run knows its last message's
  const count = async () =>
    Number(
      (
        await db.query(
          TABLE === 'readings'
            ? 'SELECT coalesce(sum(count), 0) AS n FROM readings_hourly'
            : `SELECT count(*) AS n FROM ${TABLE}`,
        )
      ).rows[0].n,
    );
  const t0 = Date.now();
  await publishAll(pub, 'dev');
  const published = Date.now();
  let n = 0;
  let last = -1;
  let stale = 0;
  while ((n = await count()) < N) {
    stale = n === last ? stale + 1 : 0;
    if (stale > 1000) break; // 10 s without progress: report the loss
    last = n;
    await sleep(10);
  }
  const t1 = Date.now();
  const cpu = {
    ingest: cpuSeconds(ingest.pid) - cpu0.ingest,
    broker: broker.pid ? cpuSeconds(broker.pid) - cpu0.broker : undefined,
    pg: sumDelta(await backendsCpu(db, database), cpu0.pg),
    // this process: the publisher (and the progress poll after it)
    publisher: cpuSeconds(process.pid) - cpu0.bench,
  };
  // peak resident memory of the ingest process (Linux), before the latency run
  const peakRss = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${ingest.pid}/status`, 'utf8'))?.[1];
  // committed batches so far, from ingest's /metrics: how the messages were grouped
  const scrape = SINK ? '' : await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const batches = Number(/^sensorhub_ingest_batch_duration_seconds_count (\d+)/m.exec(scrape)?.[1] ?? NaN);
  await pub.endAsync();
  const lat = measureLatency && n >= N ? await latency(broker.url, databaseUrl) : undefined;
  ingest.kill('SIGTERM');
  await new Promise((r) => ingest.once('exit', r));
  const { rows } = await db.query(
    `SELECT count(*) AS total, count(DISTINCT (device_id, metric, ts)) AS distinct_keys FROM ${TABLE} WHERE device_id LIKE 'dev%'`,
  );
  return {
    rate: N / ((t1 - t0) / 1000),
    publishSeconds: (published - t0) / 1000,
    landedSeconds: (t1 - t0) / 1000,
    total: Number(rows[0].total),
    distinct: Number(rows[0].distinct_keys),
    peakRssMb: peakRss ? Number(peakRss) / 1024 : undefined,
    cpu,
    lat,
    batches,
  };
}

async function startBroker(): Promise<{ broker: Broker; kind: string }> {
  if (process.env.MQTT_URL)
    return { broker: { url: process.env.MQTT_URL, stop: async () => undefined }, kind: process.env.MQTT_URL };
  if (!hasMosquitto())
    return { broker: await startEmbeddedBroker({ port: await freePort() }), kind: 'embedded aedes' };
  const persist = process.env.BENCH_PERSISTENCE === '1';
  const dir = persist ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mosquitto-')) : undefined;
  const m = await startMosquitto(await freePort(), { persistenceDir: dir });
  return {
    broker: {
      pid: m.pid,
      url: m.url,
      stop: async () => (await m.stop(), dir && fs.rmSync(dir, { recursive: true, force: true })),
    },
    kind: `mosquitto (shipped limits${persist ? ' and persistence' : ', no persistence'})`,
  };
}

async function main() {
  const name = `sensorhub_bench_${Date.now()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = dbUrl(name);
  await runMigrations(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  if (RULES)
    await db.query(
      `INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity)
         SELECT 'bench ' || i, 'all', 'temperature', 'above', 1000 + i, 1000 + i, 'info' FROM generate_series(1, $1) i`,
      [RULES],
    );
  const { broker, kind } = await startBroker();
  const per100k = (s?: number) => (s === undefined ? 'n/a' : `${((s * 100_000) / N).toFixed(2)} s`);
  try {
    console.log(
      `bench:ingest — ${N.toLocaleString('en')} QoS 1 messages, ${DEVICES} devices, ${RULES} alert rules, broker ${kind}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
    );
    const { rate: plain, brokerCpu: plainBrokerCpu, benchCpu: plainBenchCpu } = await plainRate(broker);
    // the sink sends no live notifications: no latency run
    const r = await ingestRate(broker, url, db, {}, !SINK);
    console.log(
      `plain publisher → subscriber (stores nothing): ${Math.round(plain).toLocaleString('en')} msg/s`,
    );
    console.log(
      `ingest, published → committed:                ${Math.round(r.rate).toLocaleString('en')} msg/s (${r.landedSeconds.toFixed(2)} s; publishing took ${r.publishSeconds.toFixed(2)} s)`,
    );
    console.log(
      `loss: ${N - r.distinct}   duplicates: ${r.total - r.distinct}${r.peakRssMb ? `   ingest peak RSS: ${Math.round(r.peakRssMb)} MB` : ''}`,
    );
    console.log(`ratio ingest / plain: ${(r.rate / plain).toFixed(2)}`);
    console.log(
      `CPU per 100k messages: ingest ${per100k(r.cpu.ingest)}, PostgreSQL ${per100k(r.cpu.pg)}, broker ${per100k(r.cpu.broker)}, publisher ${per100k(r.cpu.publisher)} (plain run: broker ${per100k(plainBrokerCpu)}, publisher and subscriber ${per100k(plainBenchCpu)})`,
    );
    if (SINK)
      console.log(
        `(a minimal sink into ${SINK} instead of ingest: ${SINK === 'readings' ? 'with' : 'without'} the rollup triggers)`,
      );
    else
      console.log(
        `transactions: ${r.batches.toLocaleString('en')}, ${Math.round(N / r.batches).toLocaleString('en')} messages each on average`,
      );
    if (r.lat)
      console.log(
        `publish → commit latency at a steady ${LATENCY_RATE} msg/s for ${LATENCY_SECONDS} s: p50 ${r.lat.p50?.toFixed(1)} ms, p99 ${r.lat.p99?.toFixed(1)} ms, max ${r.lat.max?.toFixed(1)} ms (${r.lat.n} of ${r.lat.total} seen)`,
      );
    if (process.argv.includes('--redis')) {
      const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      const stream = `bench:ingestion:${process.pid}`;
      await db.query('TRUNCATE readings'); // its trigger empties the rollups
      const s = await ingestRate(broker, url, db, { REDIS_URL: redisUrl, REDIS_STREAM: stream });
      const redis = new Redis(redisUrl);
      const len = await redis.xlen(stream);
      await redis.del(stream);
      await redis.quit();
      console.log(
        `ingest with the Redis stream on:             ${Math.round(s.rate).toLocaleString('en')} msg/s (${len.toLocaleString('en')} stream entries; loss ${N - s.distinct})`,
      );
      console.log(`ratio stream on / off: ${(s.rate / r.rate).toFixed(2)}`);
      console.log(
        `CPU per 100k messages with the stream on: ingest ${per100k(s.cpu.ingest)} (off: ${per100k(r.cpu.ingest)}), PostgreSQL ${per100k(s.cpu.pg)}`,
      );
    }
  } finally {
    await db.end();
    await broker.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
