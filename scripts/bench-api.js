// Latency and throughput of the API's read routes under concurrency (autocannon), against a fresh database holding
// 30 days of 10-second data for one device (259,200 rows) plus 100 small devices, and of the same aggregation run
// directly in PostgreSQL. Prints figures only.
//   npm run bench:api -- --connections 50 --duration 8 [--route devices]
//   (DATABASE_URL: server to create the bench database on; MQTT_URL: broker, optional)
const { spawn } = require('node:child_process');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { Client } = require('pg');

const root = path.resolve(__dirname, '..');
const { runMigrations, hashPassword, refreshHourlyRollup } = require(path.join(root, 'libs/domain/dist'));
const { BUCKET_SQL, ROLLUP_BUCKET_SQL, ROLLUP_COUNT_SQL, wholeHours } = require(
  path.join(root, 'apps/api/dist/readings/readings.sql'),
);

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const MQTT_URL = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '1' },
    duration: { type: 'string', default: '8' },
    route: { type: 'string' },
  },
});
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
if (!(CONNECTIONS >= 1) || !(DURATION >= 1)) throw new Error('--connections and --duration must be ≥ 1');
const N = Number(process.env.BENCH_REQUESTS || 200);
const WARMUP = 20;
const DEVICE = 'bench-1';
const PASSWORD = 'bench-password-123';

const withDb = (name) => {
  const u = new URL(BASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99) };
}

/** `connections` keep-alive clients request `pathname` for `seconds` after a 2 s warm-up; latency of every response. */
async function cannon(base, pathname, token, connections, seconds) {
  const run = (duration, onResponse) =>
    new Promise((resolve, reject) => {
      const inst = autocannon(
        {
          url: base + pathname,
          connections,
          duration,
          // as a browser asks: large cached answers then go gzipped
          headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip, deflate, br' },
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
      if (onResponse) inst.on('response', onResponse);
    });
  await run(2);
  const samples = [];
  let bad = 0;
  const res = await run(seconds, (_c, status, _bytes, ms) => {
    samples.push(ms);
    if (status !== 200) bad++;
  });
  if (bad || res.errors) throw new Error(`${pathname}: ${bad} non-200 responses, ${res.errors} errors`);
  return {
    ...summary(samples),
    rps: samples.length / seconds,
    bytes: res.throughput.average / res.requests.average,
  };
}

/** CPU load of the machine over the last minute, per core. */
const load = () => (os.loadavg()[0] / os.cpus().length).toFixed(2);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(base, pathname, token) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.get(
      `${base}${pathname}`,
      { agent, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let size = 0;
        res.on('data', (c) => (size += c.length));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${pathname}: HTTP ${res.statusCode}`));
          resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, size });
        });
      },
    );
    req.on('error', reject);
  });
}

function post(base, pathname, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      `${base}${pathname}`,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text))
            : reject(new Error(`${pathname}: HTTP ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function timeIt(fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples = [];
  for (let i = 0; i < N; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summary(samples);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = require('node:net').createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The built api as its own process (as in production), ready once it answers HTTP. */
async function startApi(databaseUrl) {
  const port = await freePort();
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS || '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, path.join(root, 'apps/api/dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      MQTT_URL,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      THROTTLE_LIMIT: '1000000',
      ENV_FILE: '/nonexistent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`api exited with ${proc.exitCode}`);
    const up = await new Promise((resolve) => {
      const req = http.get(`${url}/api/v1/ping`, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
    });
    if (up) return { proc, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api did not start');
}

async function main() {
  const name = `sensorhub_bench_api_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDb(name);
  let api;
  const db = new Client({ connectionString: url });
  try {
    await runMigrations(url);
    await db.connect();
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const start = new Date(end.getTime() - 30 * 86_400_000);
    let t = Date.now();
    await db.query(
      `INSERT INTO devices (id, name, first_seen, last_seen, status, battery)
       SELECT 'bench-' || i, 'Sensor ' || i, $1, now(), 'ok', 50 + i % 50 FROM generate_series(1, 101) i`,
      [start],
    );
    await db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT $3, 'temperature', ts, 20 + 5 * sin(extract(epoch FROM ts) / 3600) + random()
       FROM generate_series($1::timestamptz, $2::timestamptz - interval '10 seconds', interval '10 seconds') ts`,
      [start, end, DEVICE],
    );
    await db.query(
      `INSERT INTO readings (device_id, metric, ts, value)
       SELECT 'bench-' || i, m, $1::timestamptz - make_interval(mins => k), random() * 100
       FROM generate_series(2, 101) i, unnest(ARRAY['temperature', 'humidity']) m, generate_series(1, 60) k`,
      [end],
    );
    // seeded past ingest, so the hourly rollup ingest keeps is built here
    await refreshHourlyRollup(db);
    await db.query(
      `INSERT INTO users (email, password_hash, role) VALUES ('bench@example.com', $1, 'admin')`,
      [await hashPassword(PASSWORD)],
    );
    await db.query('VACUUM ANALYZE readings');
    await db.query('VACUUM ANALYZE readings_hourly');
    await db.query('VACUUM ANALYZE devices');
    const { rows } = await db.query('SELECT count(*)::int AS n FROM readings');
    console.log(
      `seeded ${rows[0].n} readings (${DEVICE}: 30 days at 10 s) and 101 devices in ${Date.now() - t} ms`,
    );

    api = await startApi(url);
    const { accessToken: token } = await post(api.url, '/api/v1/auth/login', {
      email: 'bench@example.com',
      password: PASSWORD,
    });
    const range = `from=${start.toISOString()}&to=${end.toISOString()}`;
    const readings30d = `/api/v1/devices/${DEVICE}/readings?metric=temperature&${range}&maxPoints=1000`;
    const check = await get(api.url, readings30d, token);
    const buckets = JSON.parse(
      await new Promise((resolve) =>
        http.get(`${api.url}${readings30d}`, { headers: { Authorization: `Bearer ${token}` } }, (r) => {
          let s = '';
          r.on('data', (c) => (s += c));
          r.on('end', () => resolve(s));
        }),
      ),
    ).points.length;
    console.log(`readings 30 d → ${buckets} buckets, ${check.size} bytes\n`);
    const f = (x) => x.toFixed(1).padStart(7);

    const routes = [
      ['readings30d', 'GET readings 30 d, maxPoints 1000', readings30d],
      ['devices', 'GET devices (101, latest per metric)', '/api/v1/devices?limit=200'],
      [
        'sparklines',
        'GET sparklines (100 devices, 2 metrics)',
        `/api/v1/sparklines?devices=${Array.from({ length: 100 }, (_, i) => `bench-${i + 2}`).join(',')}`,
      ],
      ['device', 'GET device', `/api/v1/devices/${DEVICE}`],
      [
        'readings1h',
        'GET readings 1 h (raw)',
        `/api/v1/devices/${DEVICE}/readings?metric=temperature&from=${new Date(end - 3_600_000).toISOString()}&to=${end.toISOString()}`,
      ],
      ['messages', 'GET messages (key, limit 100)', '/api/v1/messages?key=humidity&limit=100'],
      ['ping', 'GET ping', '/api/v1/ping'],
      ['me', 'GET auth/me', '/api/v1/auth/me'],
      ['users', 'GET users', '/api/v1/users'],
    ].filter(([key]) => !args.route || args.route.split(',').includes(key));
    console.log(
      `autocannon: ${CONNECTIONS} connection(s), ${DURATION} s per route after 2 s warm-up; latency in ms; ` +
        `load per core before: ${load()}`,
    );
    console.log(`${'route'.padEnd(42)}    p50     p95     p99    req/s   bytes`);
    const results = [];
    for (const [, label, p] of routes) {
      const r = await cannon(api.url, p, token, CONNECTIONS, DURATION);
      results.push([label, r]);
      console.log(
        `${label.padEnd(42)}${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${r.rps.toFixed(0).padStart(8)} ${r.bytes.toFixed(0).padStart(7)}`,
      );
    }
    console.log(`load per core after: ${load()}\n`);

    // what the API runs for the 30-day range: the whole-hour count from the rollup (above maxPoints, so no raw
    // probe), then the buckets from the rollup plus the cut hours at the ends
    const [a, b] = wholeHours(start, end);
    const aggParams = [DEVICE, 'temperature', start, end, '3600 seconds', a, b];
    const dbAgg = await timeIt(() => db.query(ROLLUP_BUCKET_SQL, aggParams));
    const dbBoth = await timeIt(async () => {
      await db.query(ROLLUP_COUNT_SQL, [DEVICE, 'temperature', a, b]);
      await db.query(ROLLUP_BUCKET_SQL, aggParams);
    });
    const dbRaw = await timeIt(() => db.query(BUCKET_SQL, aggParams.slice(0, 5)));

    console.log(`PostgreSQL directly: ${N} sequential queries each after ${WARMUP} warm-up; ms`);
    console.log(`${'PostgreSQL: same aggregation (rollup, 1 h)'.padEnd(42)}${f(dbAgg.p50)} ${f(dbAgg.p95)}`);
    console.log(`${'PostgreSQL: rollup count + aggregation'.padEnd(42)}${f(dbBoth.p50)} ${f(dbBoth.p95)}`);
    console.log(`${'PostgreSQL: raw date_bin 1 h (no rollup)'.padEnd(42)}${f(dbRaw.p50)} ${f(dbRaw.p95)}`);
    const api30 = results.find(([label]) => label.startsWith('GET readings 30 d'))?.[1];
    if (!api30 || CONNECTIONS > 1) return; // a ratio to one sequential query means little under concurrency
    console.log(
      `\nratio API ÷ database (readings 30 d vs aggregation): p50 ${(api30.p50 / dbAgg.p50).toFixed(2)}, p95 ${(api30.p95 / dbAgg.p95).toFixed(2)}`,
    );
    console.log(
      `ratio API ÷ database (vs both queries the API runs): p50 ${(api30.p50 / dbBoth.p50).toFixed(2)}, p95 ${(api30.p95 / dbBoth.p95).toFixed(2)}`,
    );
  } finally {
    agent.destroy();
    if (api) {
      api.proc.kill('SIGTERM');
      await new Promise((r) => (api.proc.exitCode !== null ? r() : api.proc.once('exit', r)));
    }
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
