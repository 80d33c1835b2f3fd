import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import Redis from 'ioredis';
import { MqttClient } from 'mqtt';

import { consumeStream, DEAD_LETTER_REASONS as R, StreamEntry } from '@sensorhub/domain';

import { connectClient, OwnBroker, startOwnBroker } from '../../../test/support/broker';
import { count, createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';
import { OwnRedis, redisInstalled } from '../../../test/support/redis';

// Redis Streams output through the real path: broker → ingest → PostgreSQL and Redis. Every committed reading is in
// the stream (at least once), every dead letter in the DLQ stream, and neither a crash of ingest nor a Redis outage
// loses an entry.
jest.setTimeout(240_000);

const run = process.env.SENSORHUB_TEST_RUN ?? String(process.pid);
let broker: OwnBroker;
let redisDir: string;
let ownRedis: OwnRedis | undefined;
let redisUrl: string;
let redis: Redis;

beforeAll(async () => {
  broker = await startOwnBroker();
  redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-redis-'));
  if (process.env.TEST_REDIS_URL) redisUrl = process.env.TEST_REDIS_URL;
  else if (redisInstalled()) redisUrl = await (ownRedis = new OwnRedis(redisDir)).start();
  else throw new Error('the stream tests need Redis: set TEST_REDIS_URL or install redis-server');
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  await redis?.quit();
  await ownRedis?.stop();
  await broker?.stop();
  fs.rmSync(redisDir, { recursive: true, force: true });
});

/** every entry of a stream, oldest first */
async function entries(r: Redis, stream: string): Promise<StreamEntry[]> {
  const out: StreamEntry[] = [];
  let start = '-';
  for (;;) {
    const page = await r.xrange(stream, start, '+', 'COUNT', 10_000);
    for (const [id, f] of page) {
      const fields: Record<string, string> = {};
      for (let i = 0; i < f.length; i += 2) fields[f[i]] = f[i + 1];
      out.push({ id, fields });
    }
    if (page.length < 10_000) return out;
    start = `(${page[page.length - 1][0]}`;
  }
}

async function publishStream(
  pub: MqttClient,
  n: number,
  tag: string,
  onProgress?: (sent: number) => Promise<void>,
) {
  const base = Date.now() - 3_600_000;
  for (let i = 0; i < n; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, n - i) }, (_, k) =>
        pub.publishAsync(
          `devices/${tag}-${(i + k) % 50}/temperature`,
          JSON.stringify({ value: (i + k) % 100, ts: base + i + k }),
          { qos: 1 },
        ),
      ),
    );
    await onProgress?.(i + 500);
  }
}

/** readings missing from the stream, and how many entries repeat one */
async function compare(db: TestDatabase, r: Redis, stream: string, tag: string) {
  const { rows } = await db.client.query(
    `SELECT device_id, metric, value, ts FROM readings WHERE device_id LIKE $1`,
    [`${tag}-%`],
  );
  const seen = new Map<string, number>();
  for (const e of await entries(r, stream)) {
    const k = `${e.fields.device_id}|${e.fields.metric}|${e.fields.timestamp}|${e.fields.value}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const missing = rows.filter(
    (row) => !seen.has(`${row.device_id}|${row.metric}|${row.ts.toISOString()}|${row.value}`),
  );
  const duplicates = [...seen.values()].reduce((s, n) => s + n - 1, 0);
  return { rows: rows.length, missing: missing.length, duplicates };
}

describe('ingest → Redis streams', () => {
  let db: TestDatabase;
  const running: IngestProcess[] = [];
  const ingest = (env: Record<string, string>) => {
    const p = startIngest({ DATABASE_URL: db.url, MQTT_URL: broker.url, REDIS_URL: redisUrl, ...env });
    running.push(p);
    return p;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('appends every committed reading with exactly device_id, metric, value and timestamp, and every dead letter to the DLQ', async () => {
    const [stream, dlq] = [`test:ingestion:${run}:a`, `test:dlq:${run}:a`];
    const p = ingest({
      INGEST_CLIENT_ID: `stream-a-${run}`,
      REDIS_STREAM: stream,
      REDIS_DLQ_STREAM: dlq,
      METRICS_CATALOG: 'config/metrics.yaml',
    });
    await p.ready;
    const pub = await connectClient(broker.url);
    const ts = new Date(Date.now() - 60_000).toISOString();
    await pub.publishAsync('devices/st-1/temperature', JSON.stringify({ value: 21.25, ts }), { qos: 1 });
    await pub.publishAsync(
      'devices/st-1/telemetry',
      JSON.stringify({ timestamp: ts, measurements: { humidity: 41, co2: 612 } }),
      { qos: 1 },
    );
    await pub.publishAsync('devices/st-2/temperature', '-3.5', { qos: 1 });
    await pub.publishAsync('devices/st-3/temperature', 'warm', { qos: 1 });
    await pub.publishAsync('devices/st-3/temperature', '500', { qos: 1 });
    await pub.endAsync();
    await waitFor(
      async () => (await redis.xlen(dlq)) >= 2 && (await redis.xlen(stream)) >= 4,
      10_000,
      'stream entries',
    );

    const { rows } = await db.client.query(
      `SELECT device_id, metric, value, ts FROM readings ORDER BY device_id, metric`,
    );
    const got = (await entries(redis, stream)).map((e) => e.fields);
    expect(got).toHaveLength(rows.length);
    for (const row of rows) {
      expect(got).toContainEqual({
        device_id: row.device_id,
        metric: row.metric,
        value: String(row.value),
        timestamp: row.ts.toISOString(),
      });
    }
    for (const f of got) expect(f.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const dead = (await entries(redis, dlq)).map((e) => e.fields);
    const { rows: deadRows } = await db.client.query(
      `SELECT topic, reason, detail, payload, received_at FROM dead_letters ORDER BY id`,
    );
    expect(dead.map((d) => d.reason).sort()).toEqual([R.invalidValue, R.outOfRange].sort());
    for (const d of deadRows) {
      expect(dead).toContainEqual({
        topic: d.topic,
        payload: Buffer.from(d.payload).toString('base64'),
        reason: d.reason,
        detail: d.detail,
        received_at: d.received_at.toISOString(),
      });
    }
  });

  it('ends with 50,000 rows, every one in the stream, when ingest is killed with SIGKILL mid-stream', async () => {
    const stream = `test:ingestion:${run}:kill`;
    const env = { INGEST_CLIENT_ID: `stream-kill-${run}`, REDIS_STREAM: stream };
    const first = ingest(env);
    await first.ready;
    const pub = await connectClient(broker.url);
    const rows = () => count(db.client, `SELECT count(*) n FROM readings WHERE device_id LIKE 'sk-%'`);
    let killed = false;
    await publishStream(pub, 50_000, 'sk', async () => {
      if (!killed && (await rows()) >= 10_000) {
        killed = true;
        first.proc.kill('SIGKILL');
        await first.exited;
      }
    });
    if (!killed) {
      first.proc.kill('SIGKILL');
      await first.exited;
    }
    await pub.endAsync();
    const second = ingest(env);
    await second.ready;
    await waitFor(async () => (await rows()) >= 50_000, 120_000, '50,000 rows');
    await waitFor(
      async () => (await compare(db, redis, stream, 'sk')).missing === 0,
      30_000,
      'every row in the stream',
    );
    const c = await compare(db, redis, stream, 'sk');
    console.log(
      `SIGKILL mid-stream: ${c.rows} rows, ${c.missing} missing from the stream, ${c.duplicates} repeated entries`,
    );
    expect(c).toMatchObject({ rows: 50_000, missing: 0 });
  });

  it('holds acknowledgements while Redis is down for 10 s and loses nothing in either store', async () => {
    if (!redisInstalled()) throw new Error('this test needs redis-server');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-redis-outage-'));
    const own = new OwnRedis(dir);
    const url = await own.start();
    const r = new Redis(url, { maxRetriesPerRequest: null });
    try {
      const stream = 'mqtt:ingestion';
      const p = ingest({ INGEST_CLIENT_ID: `stream-out-${run}`, REDIS_URL: url });
      await p.ready;
      const pub = await connectClient(broker.url);
      const rows = () => count(db.client, `SELECT count(*) n FROM readings WHERE device_id LIKE 'so-%'`);
      let stopped = false;
      await publishStream(pub, 20_000, 'so', async (sent) => {
        if (!stopped && sent >= 6000) {
          stopped = true;
          await own.stop();
        }
      });
      await pub.endAsync();
      await new Promise((res) => setTimeout(res, 10_000));
      await own.start();
      await waitFor(async () => (await rows()) >= 20_000, 120_000, '20,000 rows');
      await waitFor(
        async () => (await compare(db, r, stream, 'so')).missing === 0,
        60_000,
        'every row in the stream',
      );
      expect(await rows()).toBe(20_000);
      expect(p.output()).toMatch(/acknowledgements held/);
    } finally {
      r.disconnect();
      await own.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`${consumeStream.name}: consumer groups`, () => {
  it('splits the stream between two consumers, and one that dies leaves its pending entries to the other', async () => {
    const stream = `test:consume:${run}`;
    const p = redis.pipeline();
    for (let i = 0; i < 1000; i++)
      p.xadd(
        stream,
        '*',
        'device_id',
        `c-${i % 10}`,
        'metric',
        't',
        'value',
        String(i),
        'timestamp',
        new Date(1.7e12 + i).toISOString(),
      );
    await p.exec();
    const [a, b] = [new Redis(redisUrl), new Redis(redisUrl)];
    const byA: string[] = [];
    const byB: string[] = [];
    const stopA = new AbortController();
    const stopB = new AbortController();
    let callsA = 0;
    let stuck!: () => void;
    const aDone = consumeStream({
      redis: a,
      stream,
      group: 'g',
      consumer: 'a',
      count: 50,
      blockMs: 100,
      signal: stopA.signal,
      handle: async (e) => {
        if (++callsA === 3) await new Promise<void>((res) => (stuck = res)); // a worker that dies mid-work
        byA.push(...e.map((x) => x.fields.value));
      },
    });
    const bDone = consumeStream({
      redis: b,
      stream,
      group: 'g',
      consumer: 'b',
      count: 50,
      blockMs: 100,
      claimIdleMs: 500,
      signal: stopB.signal,
      handle: async (e) => {
        byB.push(...e.map((x) => x.fields.value));
      },
    });
    await waitFor(async () => byA.length + byB.length >= 1000, 30_000, 'all 1,000 entries handled');
    stopB.abort();
    await bDone;
    // both worked, B took over the 50 entries A read and never finished, nothing was handled twice or lost
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThanOrEqual(50);
    expect(new Set([...byA, ...byB]).size).toBe(1000);
    expect(byA.length + byB.length).toBe(1000);
    const [pendingCount] = (await redis.xpending(stream, 'g')) as [number];
    expect(pendingCount).toBe(0);
    stopA.abort();
    stuck?.();
    await aDone.catch(() => undefined);
    a.disconnect();
    b.disconnect();
  });
});
