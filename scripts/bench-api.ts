// Latency and throughput of the API's read routes under concurrency (autocannon) at scale: a fresh database seeded
// with N readings (--rows, default 10 million) across 1,000 devices × 4 metrics evenly over the last year, plus one
// dense device (30 days every 10 s), with the rollup triggers on. Prints the seeding time, bytes per reading, the plan
// of a ranged read (partitions pruned), the routes' latency, and the same aggregations run directly in PostgreSQL.
//   npm run bench:api -- --rows 100000000 [--connections 50] [--duration 8] [--route devices] [--keep]
//   --seed-only: seed, keep the database, print its name and stop; --reuse NAME: measure a database seeded so
//   (a 100M-row seed takes half an hour: seed once, measure when the machine is quiet)
//   --cold: after each route's warm-up, the database's files are dropped from the OS page cache (server on this
//   machine, run as root): every device's first request then reads from disk, as on a server whose RAM is smaller
//   (DATABASE_URL: server to create the bench database on; MQTT_URL: broker, optional)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import autocannon from 'autocannon';
import { Client } from 'pg';

// what the api runs, from its source (scripts/tsconfig.json compiles it along)
import {
  DAILY_BUCKET_SQL,
  ROLLUP_BUCKET_SQL,
  ROLLUP_COUNT_SQL,
  wholeDays,
  wholeHours,
} from '../apps/api/src/readings/readings.sql';
import { ApiProcess, startApiProcess } from './lib/apps';
import { databaseUrl, OwnDatabase, ownDatabase } from './lib/databases';
import { freePort } from './lib/embedded';
import { insertUsers } from './lib/seed';
import { accessToken } from './lib/sessions';

const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const MQTT_URL = process.env.MQTT_URL || 'mqtt://127.0.0.1:1883';
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '1' },
    duration: { type: 'string', default: '8' },
    route: { type: 'string' },
    rows: { type: 'string', default: '10000000' },
    keep: { type: 'boolean', default: false },
    'seed-only': { type: 'boolean', default: false },
    reuse: { type: 'string' },
    cold: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
if (!Number.isInteger(ROWS) || ROWS < 4000) throw new Error('--rows must be a whole number ≥ 4000');
const DEVICES = 1000;
const METRICS = ['temperature', 'humidity', 'pressure', 'co2'];
const DENSE = 'bench-dense';
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
if (!(CONNECTIONS >= 1) || !(DURATION >= 1)) throw new Error('--connections and --duration must be ≥ 1');
const N = Number(process.env.BENCH_REQUESTS || 200);
const WARMUP = 20;
const DEVICE = 'bench-0001';
const PASSWORD = 'bench-password-123';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99) };
}

/** `connections` keep-alive clients request `pathname` for `seconds` after a 2 s warm-up; latency of every response. */
async function cannon(
  base: string,
  pathname: string | string[],
  token: string,
  connections: number,
  seconds: number,
  beforeMeasuring?: () => Promise<unknown>,
) {
  // several paths: requested in turn, so the api's 1-second response cache answers none of them twice
  const paths = Array.isArray(pathname) ? pathname : [pathname];
  type OnResponse = (client: unknown, status: number, bytes: number, ms: number) => void;
  const run = (duration: number, onResponse?: OnResponse) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const inst = autocannon(
        {
          url: base,
          requests: paths.map((path) => ({ method: 'GET', path })),
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
  await beforeMeasuring?.();
  const samples: number[] = [];
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

async function timeIt(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < N; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summary(samples);
}

/** The built api as its own process (as in production), ready once it answers HTTP. */
async function startApi(databaseUrl: string): Promise<ApiProcess> {
  const api = startApiProcess(
    {
      DATABASE_URL: databaseUrl,
      MQTT_URL,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MAINTENANCE_INTERVAL_SECONDS: '0',
    },
    { nodeArgs: (process.env.BENCH_API_NODE_ARGS || '').split(' ').filter(Boolean), echo: true },
  );
  await api.url;
  return api;
}

/** The database's files out of the OS page cache (`dd iflag=nocache count=0`: posix_fadvise DONTNEED on the file). */
async function dropFromPageCache(db: Client): Promise<void> {
  const { rows } = await db.query(
    `SELECT current_setting('data_directory') AS dir, oid FROM pg_database WHERE datname = current_database()`,
  );
  const dir = path.join(rows[0].dir, 'base', String(rows[0].oid));
  for (const f of fs.readdirSync(dir))
    execFileSync('dd', [`if=${path.join(dir, f)}`, 'iflag=nocache', 'count=0', 'status=none']);
}

/** Lower the seeding backend's CPU and I/O priority when the server runs on this machine (it is shared). */
function niceBackend(pid: number): boolean {
  try {
    execFileSync('renice', ['-n', '10', '-p', String(pid)], { stdio: 'ignore' });
    execFileSync('ionice', ['-c', '2', '-n', '7', '-p', String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * N readings: 1,000 devices × 4 metrics, each series evenly spaced over [start, end), in time order as ingest writes
 * them. Bulk-loaded as a restore would be: each week filled as a table of its own, its rollup rows aggregated from
 * it, then indexed and attached as a partition (with the rollup triggers every partition has). The dense device then
 * goes through the triggers.
 */
async function seed(db: Client, start: Date, end: Date) {
  const series = DEVICES * METRICS.length;
  const perSeries = Math.ceil(ROWS / series);
  const stepMs = (end.getTime() - start.getTime()) / perSeries;
  const [{ pid }] = (await db.query('SELECT pg_backend_pid() AS pid')).rows;
  const niced = niceBackend(pid);
  await db.query(`SET work_mem = '256MB'`);
  await db.query(`SET maintenance_work_mem = '512MB'`);
  await db.query(
    `INSERT INTO devices (id, name, first_seen, last_seen, status, battery)
     SELECT 'bench-' || lpad(i::text, 4, '0'), 'Sensor ' || i, $1::timestamptz, now(), 'ok', 50 + i % 50
     FROM generate_series(1, $2::int) i
     UNION ALL SELECT $3, 'Dense', $1::timestamptz, now(), 'ok', 90`,
    [start, DEVICES, DENSE],
  );
  // partitions the migration made ahead of time would overlap the bulk-loaded weeks
  for (const { part } of (await db.query(`SELECT part::text FROM sensorhub_readings_partitions()`)).rows)
    await db.query(`DROP TABLE ${part}`);
  const names = Array.from({ length: DEVICES }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
  const t = Date.now();
  let done = 0;
  const week = 7 * 86_400_000;
  const origin = Date.UTC(2000, 0, 3);
  for (
    let lo = origin + Math.floor((start.getTime() - origin) / week) * week;
    lo < end.getTime();
    lo += week
  ) {
    const hi = lo + week;
    const k0 = Math.max(0, Math.ceil((lo - start.getTime()) / stepMs));
    const k1 = Math.min(perSeries, Math.ceil((hi - start.getTime()) / stepMs)); // exclusive
    const name = `readings_p${new Date(lo).toISOString().slice(0, 10).replace(/-/g, '')}`;
    await db.query(`CREATE TABLE ${name} (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    if (k1 > k0) {
      const res = await db.query(
        `INSERT INTO ${name} (device_id, metric, ts, value)
         SELECT dn, m, $1::timestamptz + k * $3::float8 * interval '1 millisecond',
           20 + 10 * sin(k / 50.0 + d) + (k * 7919 % 100) / 100.0
         FROM generate_series($2::int, $6::int) k, unnest($5::text[]) WITH ORDINALITY AS dd(dn, d), unnest($4::text[]) m`,
        [start, k0, stepMs, METRICS, names, k1 - 1],
      );
      done += res.rowCount ?? 0;
      await db.query(
        `INSERT INTO readings_hourly (device_id, metric, bucket, min, max, sum, count)
         SELECT device_id, metric, date_bin('1 hour', ts, TIMESTAMPTZ '2000-01-03 00:00:00+00'),
           min(value), max(value), sum(value), count(*)
         FROM ${name} GROUP BY 1, 2, 3`,
      );
    }
    await db.query(
      `ALTER TABLE readings ATTACH PARTITION ${name} FOR VALUES FROM ('${new Date(lo).toISOString()}') TO ('${new Date(hi).toISOString()}')`,
    );
    await db.query(`SELECT sensorhub_add_rollup_triggers('${name}')`);
    const s = (Date.now() - t) / 1000;
    process.stderr.write(
      `\rseeding: ${done.toLocaleString('en')} rows, ${s.toFixed(0)} s, ${Math.round(done / s).toLocaleString('en')} rows/s   `,
    );
  }
  process.stderr.write('\n');
  await db.query(
    `INSERT INTO readings_daily (device_id, metric, bucket, min, max, sum, count)
     SELECT device_id, metric, date_bin('1 day', bucket, TIMESTAMPTZ '2000-01-03 00:00:00+00'),
       min(min), max(max), sum(sum), sum(count)
     FROM readings_hourly WHERE bucket < (SELECT daily_through FROM readings_rollup_state) GROUP BY 1, 2, 3`,
  );
  await db.query(`SELECT sensorhub_ensure_partitions(now(), now() + interval '14 days')`);
  await db.query(
    `INSERT INTO readings (device_id, metric, ts, value)
     SELECT $3, 'temperature', ts, 20 + 5 * sin(extract(epoch FROM ts) / 3600) + random()
     FROM generate_series($1::timestamptz, $2::timestamptz - interval '10 seconds', interval '10 seconds') ts`,
    [new Date(end.getTime() - 30 * 86_400_000), end, DENSE],
  );
  const seedMs = Date.now() - t;
  const v = Date.now();
  await db.query('VACUUM (ANALYZE) readings');
  await db.query('VACUUM (ANALYZE) readings_hourly');
  await db.query('VACUUM (ANALYZE) readings_daily');
  await db.query('VACUUM (ANALYZE) devices');
  return { seedMs, vacuumMs: Date.now() - v, stepMs, niced };
}

async function sizes(db: Client, total: number) {
  const { rows } = await db.query(
    `SELECT sum(pg_relation_size(c.oid))::float8 AS heap, sum(pg_indexes_size(c.oid))::float8 AS idx, count(*)::int AS n
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass`,
  );
  const r = (t: string) =>
    db
      .query(`SELECT pg_relation_size($1)::float8 AS heap, pg_indexes_size($1)::float8 AS idx`, [t])
      .then((x) => x.rows[0] as { heap: number; idx: number });
  const [hourly, daily] = await Promise.all([r('readings_hourly'), r('readings_daily')]);
  const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
  const per = (b: number) => (b / total).toFixed(1);
  console.log(
    `readings: ${rows[0].n} partitions, table ${gb(rows[0].heap)} + index ${gb(rows[0].idx)} = ` +
      `${per(rows[0].heap)} + ${per(rows[0].idx)} = ${per(rows[0].heap + rows[0].idx)} bytes per reading`,
  );
  console.log(
    `rollups: hourly ${gb(hourly.heap + hourly.idx)}, daily ${gb(daily.heap + daily.idx)} ` +
      `(${per(hourly.heap + hourly.idx + daily.heap + daily.idx)} bytes per reading)`,
  );
}

interface Seeded {
  end: Date;
  seedMs: number;
  vacuumMs: number;
  stepMs: number;
  niced: boolean;
}

/** A fresh bench database seeded (its figures kept in `bench_seed` for --reuse), or the one --reuse names. */
async function seededDatabase(): Promise<{
  database: Omit<OwnDatabase, 'drop'> & { drop?(): Promise<void> };
  s: Seeded;
}> {
  if (args.reuse) {
    const url = databaseUrl(BASE_URL, args.reuse);
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT end_at AS "end", seed_ms AS "seedMs", vacuum_ms AS "vacuumMs", step_ms AS "stepMs", niced FROM bench_seed`,
    );
    if (!rows.length) throw new Error(`database ${args.reuse} was not seeded by bench:api --seed-only`);
    return { database: { name: args.reuse, url, client }, s: rows[0] as Seeded };
  }
  const database = await ownDatabase(BASE_URL, `sensorhub_bench_api_${Date.now().toString(36)}`);
  try {
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const start = new Date(end.getTime() - 365 * 86_400_000);
    const s = { end, ...(await seed(database.client, start, end)) };
    await insertUsers(database.client, [{ email: 'bench@example.com', password: PASSWORD, role: 'admin' }]);
    await database.client.query(
      `CREATE TABLE bench_seed AS SELECT $1::timestamptz AS end_at, $2::float8 AS seed_ms, $3::float8 AS vacuum_ms,
         $4::float8 AS step_ms, $5::boolean AS niced`,
      [s.end, s.seedMs, s.vacuumMs, s.stepMs, s.niced],
    );
    return { database, s };
  } catch (e) {
    await database.drop();
    throw e;
  }
}

async function main() {
  const { database, s } = await seededDatabase();
  const db = database.client;
  const keep = args.keep || args['seed-only'] || !!args.reuse;
  let api: ApiProcess | undefined;
  try {
    const { end, seedMs, vacuumMs, stepMs, niced } = s;
    const { rows } = await db.query('SELECT count(*)::float8 AS n FROM readings');
    const total = rows[0].n;
    console.log(
      `bench:api — ${total.toLocaleString('en')} readings: ${DEVICES} devices × ${METRICS.length} metrics over a year ` +
        `(every ${(stepMs / 60_000).toFixed(1)} min) + ${DENSE} (30 days every 10 s)`,
    );
    console.log(
      `seeded (bulk, per week: fill, aggregate rollups, index, attach) in ${(seedMs / 1000).toFixed(0)} s (${Math.round(total / (seedMs / 1000)).toLocaleString('en')} rows/s` +
        `${niced ? ', backend at nice 10' : ''}), VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(0)} s`,
    );
    await sizes(db, total);
    if (args['seed-only']) {
      console.log(`kept database ${database.name}: measure with --reuse ${database.name}`);
      return;
    }

    const from30 = new Date(end.getTime() - 30 * 86_400_000);
    const plan = await db.query(
      `EXPLAIN (COSTS OFF) SELECT ts, value FROM readings WHERE device_id = $1 AND metric = 'temperature' AND ts >= $2 AND ts < $3`,
      [DEVICE, from30, end],
    );
    const lines = plan.rows.map((r) => r['QUERY PLAN']);
    const scanned = lines.filter((l) => /Scan .* on readings_/.test(l)).length;
    const [{ n: parts }] = (await db.query('SELECT count(*)::int AS n FROM sensorhub_readings_partitions()'))
      .rows;
    console.log(`\nEXPLAIN of a 30-day read: ${scanned} of ${parts} partitions scanned`);
    for (const l of lines) console.log(`  ${l.length > 150 ? `${l.slice(0, 150)}…` : l}`);

    api = await startApi(database.url);
    const apiUrl = await api.url;
    const token = await accessToken(apiUrl, 'bench@example.com', PASSWORD);
    const DAY = 86_400_000;
    const q = (device: string, ms: number, maxPoints = 1000) =>
      `/api/v1/devices/${device}/readings?metric=temperature&from=${new Date(end.getTime() - ms).toISOString()}&to=${end.toISOString()}&maxPoints=${maxPoints}`;
    const f = (x: number) => x.toFixed(1).padStart(7);
    const names = Array.from({ length: DEVICES }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
    // every device in turn (or, for the dense one, every maxPoints): the timing is the query's, not the cache's
    const fleet = (ms: number, maxPoints?: number) => names.map((d) => q(d, ms, maxPoints));
    const allRoutes: [key: string, label: string, paths: string | string[]][] = [
      ['readings1h', 'GET readings 1 h', fleet(3_600_000)],
      ['readings30d', 'GET readings 30 d, maxPoints 1000', fleet(30 * DAY)],
      ['readings1y', 'GET readings 1 y, maxPoints 1000', fleet(365 * DAY)],
      ['readings1yDaily', 'GET readings 1 y, maxPoints 200', fleet(365 * DAY, 200)],
      [
        'dense30d',
        'GET readings 30 d dense (259k rows)',
        Array.from({ length: 500 }, (_, i) => q(DENSE, 30 * DAY, 1000 + i)),
      ],
      [
        'devices',
        'GET devices (page of 100, latest per metric)',
        Array.from(
          { length: 1000 },
          (_, i) => `/api/v1/devices?limit=${100 + (i % 100)}&offset=${100 * Math.floor(i / 100)}`,
        ),
      ],
      [
        'sparklines',
        'GET sparklines (100 devices, 4 metrics)',
        Array.from(
          { length: 1000 },
          (_, i) =>
            `/api/v1/sparklines?points=${20 + (i % 100)}&devices=${names.slice(100 * (i % 10), 100 * (i % 10) + 100).join(',')}`,
        ),
      ],
      ['device', 'GET device', names.map((d) => `/api/v1/devices/${d}`)],
      ['ping', 'GET ping', '/api/v1/ping'],
    ];
    const routes = allRoutes.filter(([key]) => !args.route || args.route.split(',').includes(key));
    for (const [, label, paths] of routes.filter(([key]) => /^(readings|dense)/.test(key))) {
      const p = paths[0];
      const body = await new Promise<{ points: unknown[]; bucketSeconds?: number }>((resolve) =>
        http.get(`${apiUrl}${p}`, { headers: { Authorization: `Bearer ${token}` } }, (r) => {
          let s = '';
          r.on('data', (c: string) => (s += c));
          r.on('end', () => resolve(JSON.parse(s)));
        }),
      );
      console.log(
        `${label} → ${body.points.length} ${body.bucketSeconds ? `buckets of ${body.bucketSeconds} s` : 'raw points'}`,
      );
    }
    console.log(
      `autocannon: ${CONNECTIONS} connection(s), ${DURATION} s per route after 2 s warm-up, distinct URLs in turn ` +
        `(devices, pages, windows: past the 1-second response cache); latency in ms; ` +
        `${args.cold ? 'cold: database files dropped from the page cache after each warm-up; ' : ''}` +
        `load per core before: ${load()}`,
    );
    console.log(`${'route'.padEnd(44)}    p50     p95     p99    req/s   bytes`);
    for (const [, label, p] of routes) {
      const r = await cannon(apiUrl, p, token, CONNECTIONS, DURATION, () =>
        args.cold ? dropFromPageCache(db) : Promise.resolve(),
      );
      console.log(
        `${label.padEnd(44)}${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${r.rps.toFixed(0).padStart(8)} ${r.bytes.toFixed(0).padStart(7)}`,
      );
    }
    console.log(`load per core after: ${load()}\n`);

    // what the API runs for the dense 30-day range and for a year in 2-day buckets, straight in PostgreSQL
    const [a, b] = wholeHours(from30, end);
    const dbAgg = await timeIt(async () => {
      await db.query(ROLLUP_COUNT_SQL, [DENSE, 'temperature', a, b]);
      await db.query(ROLLUP_BUCKET_SQL, [DENSE, 'temperature', from30, end, '3600 seconds', a, b]);
    });
    const from1y = new Date(end.getTime() - 365 * DAY);
    const [a1, b1] = wholeHours(from1y, end);
    const dbYear = await timeIt(async () => {
      await db.query(ROLLUP_COUNT_SQL, [DEVICE, 'temperature', a1, b1]);
      await db.query(DAILY_BUCKET_SQL, [
        DEVICE,
        'temperature',
        from1y,
        end,
        '172800 seconds',
        a1,
        b1,
        ...wholeDays(a1, b1),
      ]);
    });
    console.log(`PostgreSQL directly: ${N} sequential queries each after ${WARMUP} warm-up; ms`);
    console.log(
      `${'PostgreSQL: dense 30 d (count + hourly rollup)'.padEnd(44)}${f(dbAgg.p50)} ${f(dbAgg.p95)}`,
    );
    console.log(
      `${'PostgreSQL: 1 y in 2 d (count + daily rollup)'.padEnd(44)}${f(dbYear.p50)} ${f(dbYear.p95)}`,
    );
    if (keep) console.log(`kept database ${database.name}`);
  } finally {
    await api?.stop();
    if (keep || !database.drop) await db.end().catch(() => undefined);
    else await database.drop();
  }
}

main().catch((e: Error) => {
  console.error(`bench:api: ${e.message}`);
  process.exit(1);
});
