import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { MqttClient } from 'mqtt';
import { Client } from 'pg';

import { DEAD_LETTER_REASONS as R } from '@sensorhub/domain';

import {
  connectClient,
  dropSession,
  mosquittoInstalled,
  OwnBroker,
  startOwnBroker,
  startPersistentMosquitto,
} from '../../../test/support/broker';
import {
  count,
  createTestDatabase,
  OwnPostgres,
  TestDatabase,
  waitFor,
} from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';

import { createDatabase } from '../../../scripts/lib/databases';
import * as embedded from '../../../scripts/lib/embedded';

// One bad message must never stop ingestion, and nothing may vanish silently: poison pills, bursts without ts,
// conflicting duplicates, retained replays, large payloads during an outage, a broker crash. Real broker (Mosquitto
// with the shipped limits where installed), the built ingest process, PostgreSQL.
jest.setTimeout(240_000);

let broker: OwnBroker;
beforeAll(async () => {
  broker = await startOwnBroker();
});
afterAll(async () => {
  await broker?.stop();
});

/** Publishes every payload at QoS 1, 500 at a time. */
async function publishAll(pub: MqttClient, messages: Array<[string, string | Buffer]>, opts = {}) {
  for (let i = 0; i < messages.length; i += 500) {
    await Promise.all(
      messages.slice(i, i + 500).map(([t, p]) => pub.publishAsync(t, p, { qos: 1, ...opts })),
    );
  }
}

const deadLetters = async (db: TestDatabase, reason: string, topicLike: string) =>
  count(db.client, 'SELECT count(*) n FROM dead_letters WHERE reason = $1 AND topic LIKE $2', [
    reason,
    topicLike,
  ]);

describe('ingest with bad and tricky messages', () => {
  let db: TestDatabase;
  let ingest: IngestProcess;
  let pub: MqttClient;
  const clientId = `poison-${process.pid}`;
  const start = () => startIngest({ DATABASE_URL: db.url, MQTT_URL: broker.url, INGEST_CLIENT_ID: clientId });

  beforeAll(async () => {
    db = await createTestDatabase();
    ingest = start();
    await ingest.ready;
    pub = await connectClient(broker.url);
  });
  afterAll(async () => {
    await pub?.endAsync();
    await ingest?.stop();
    await db?.drop();
  });

  const rows = (like: string) =>
    count(db.client, 'SELECT count(*) n FROM readings WHERE device_id LIKE $1', [like]);

  it('turns 10,000 of each poison pill into dead letters while every normal reading around them lands', async () => {
    const base = Date.now() - 3_600_000;
    const normal = (i: number): [string, string] => [
      `devices/pz-ok${i % 20}/temperature`,
      JSON.stringify({ value: i / 10, ts: base + i }),
    ];
    const recent = new Date(Date.now() - 60_000).toISOString();
    const poisons: Array<[string, string]> = [
      // integer ts beyond what a Date can hold
      ['devices/pz-x1/temperature', '{"value":1,"ts":100000000000000000000}'],
      // two of these in one hour overflowed the rollup's float8 sum
      ['devices/pz-x2/temperature', `{"value":1.7976931348623157e308,"ts":"${recent}"}`],
      // PostgreSQL text cannot hold NUL
      ['devices/pz-x3/telemetry', '{"measurements":{"temperature":1},"status":"o\\u0000k"}'],
    ];
    const messages: Array<[string, string]> = [];
    for (let i = 0; i < 5000; i++) messages.push(normal(i));
    for (let i = 0; i < 10_000; i++) for (const p of poisons) messages.push(p);
    for (let i = 5000; i < 10_000; i++) messages.push(normal(i));
    await publishAll(pub, messages);

    await waitFor(async () => (await rows('pz-ok%')) >= 10_000, 120_000, '10,000 normal readings');
    await waitFor(
      async () =>
        (await count(db.client, "SELECT count(*) n FROM dead_letters WHERE topic LIKE 'devices/pz-x%'")) >=
        30_000,
      60_000,
      '30,000 dead letters',
    );
    expect(await rows('pz-ok%')).toBe(10_000);
    expect(await rows('pz-x%')).toBe(0);
    expect(await deadLetters(db, R.timestampOutOfRange, 'devices/pz-x1/%')).toBe(10_000);
    expect(await deadLetters(db, R.outOfRange, 'devices/pz-x2/%')).toBe(10_000);
    expect(await deadLetters(db, R.invalidPayload, 'devices/pz-x3/%')).toBe(10_000);
    expect(ingest.output()).not.toMatch(/RangeError|retry in/);
  });

  it('stores what the database takes and dead-letters, with its reason, each message it refuses', async () => {
    // a rule the parser knows nothing about: only the database can refuse these
    await db.client.query('ALTER TABLE readings ADD CONSTRAINT test_no_666 CHECK (value <> 666) NOT VALID');
    try {
      const base = Date.now() - 3_600_000;
      const messages: Array<[string, string]> = [];
      for (let i = 0; i < 4000; i++) {
        const value = i % 4 === 3 ? 666 : 1000 + i;
        messages.push([`devices/pz-db${i % 10}/temperature`, JSON.stringify({ value, ts: base + i })]);
      }
      await publishAll(pub, messages);
      await waitFor(
        async () => (await deadLetters(db, R.databaseRejected, 'devices/pz-db%')) >= 1000,
        120_000,
        '1,000 DATABASE_REJECTED dead letters',
      );
      await waitFor(async () => (await rows('pz-db%')) >= 3000, 30_000, '3,000 readings');
      expect(await rows('pz-db%')).toBe(3000);
      expect(
        await count(
          db.client,
          "SELECT count(*) n FROM readings WHERE device_id LIKE 'pz-db%' AND value = 666",
        ),
      ).toBe(0);
      const { rows: sample } = await db.client.query(
        "SELECT detail, convert_from(payload, 'UTF8') AS payload FROM dead_letters WHERE reason = $1 LIMIT 1",
        [R.databaseRejected],
      );
      expect(sample[0].detail).toMatch(/test_no_666.*SQLSTATE 23514/);
      expect(JSON.parse(sample[0].payload).value).toBe(666);
    } finally {
      await db.client.query('ALTER TABLE readings DROP CONSTRAINT test_no_666');
    }
  });

  it('stores 50 readings without ts sent in one burst as 50 rows, in the order they were sent', async () => {
    await publishAll(
      pub,
      Array.from({ length: 50 }, (_, i): [string, string] => ['devices/pz-burst/temperature', `${i}.5`]),
    );
    await waitFor(async () => (await rows('pz-burst')) >= 50, 10_000, '50 rows');
    const { rows: stored } = await db.client.query(
      "SELECT value FROM readings WHERE device_id = 'pz-burst' ORDER BY ts",
    );
    expect(stored.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => i + 0.5));
  });

  it('keeps the first value of a key and dead-letters a different second value; an equal one is a silent redelivery', async () => {
    const ts = Date.now() - 120_000;
    const topic = 'devices/pz-dup/temperature';
    await publishAll(pub, [[topic, JSON.stringify({ value: 1, ts })]]);
    await waitFor(async () => (await rows('pz-dup')) === 1, 10_000, 'the first value');
    // a conflict with a stored row, a redelivery, and a conflict inside one batch
    await publishAll(pub, [
      [topic, JSON.stringify({ value: 2, ts })],
      [topic, JSON.stringify({ value: 1, ts })],
      [topic, JSON.stringify({ value: 5, ts: ts + 1 })],
      [topic, JSON.stringify({ value: 6, ts: ts + 1 })],
    ]);
    await waitFor(
      async () => (await deadLetters(db, R.conflictingDuplicate, 'devices/pz-dup/%')) >= 2,
      10_000,
      'two CONFLICTING_DUPLICATE dead letters',
    );
    await new Promise((r) => setTimeout(r, 300));
    const { rows: stored } = await db.client.query(
      "SELECT value FROM readings WHERE device_id = 'pz-dup' ORDER BY ts",
    );
    expect(stored.map((r) => r.value)).toEqual([1, 5]);
    expect(await deadLetters(db, R.conflictingDuplicate, 'devices/pz-dup/%')).toBe(2);
    const { rows: details } = await db.client.query(
      'SELECT detail FROM dead_letters WHERE reason = $1 ORDER BY id',
      [R.conflictingDuplicate],
    );
    expect(details[0].detail).toMatch(/temperature at .* is stored as 1; 2 was not stored/);
  });

  it("stores the original specification's battery_level and a timestamp in epoch seconds", async () => {
    const seconds = Math.floor(Date.now() / 1000) - 30;
    await publishAll(pub, [
      [
        'devices/pz-spec/telemetry',
        JSON.stringify({
          device_id: 'pz-spec',
          timestamp: seconds,
          measurements: { temperature: 20.5 },
          battery_level: 77,
        }),
      ],
    ]);
    await waitFor(async () => (await rows('pz-spec')) === 1, 10_000, 'the packet');
    const { rows: r } = await db.client.query("SELECT ts, value FROM readings WHERE device_id = 'pz-spec'");
    expect(r[0]).toEqual({ ts: new Date(seconds * 1000), value: 20.5 });
    const { rows: d } = await db.client.query("SELECT battery FROM devices WHERE id = 'pz-spec'");
    expect(d[0].battery).toBe(77);
  });

  it('does not ingest retained readings again when ingest restarts, but takes retained presence', async () => {
    const retained = Array.from({ length: 100 }, (_, i): [string, string] => [
      `devices/pz-ret/m${i}`,
      `${i}`,
    ]);
    await publishAll(pub, retained, { retain: true });
    await waitFor(async () => (await rows('pz-ret')) >= 100, 10_000, '100 retained readings stored once');

    await ingest.stop();
    // presence published while ingest is away, as a device's Last Will is: retained state that must be taken
    await pub.publishAsync('devices/pz-presence/status', 'offline', { qos: 1, retain: true });
    // a new session: everything retained arrives again, flagged as retained
    ingest = startIngest({ DATABASE_URL: db.url, MQTT_URL: broker.url, INGEST_CLIENT_ID: `${clientId}-2` });
    await ingest.ready;
    await waitFor(
      async () => (await db.client.query("SELECT online FROM devices WHERE id = 'pz-presence'")).rows[0],
      10_000,
      'retained presence',
    );
    expect(
      (await db.client.query("SELECT online FROM devices WHERE id = 'pz-presence'")).rows[0].online,
    ).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(await rows('pz-ret')).toBe(100);
    await ingest.stop();
    expect(ingest.output()).toMatch(/skipped [1-9]\d* retained/);
    // clear the retained messages, then carry on with the first session
    await publishAll(
      pub,
      [...retained.map(([t]): [string, string] => [t, '']), ['devices/pz-presence/status', '']],
      {
        retain: true,
      },
    );
    ingest = start();
    await ingest.ready;
  });
});

describe('ingest memory with large payloads during a database outage', () => {
  it('keeps its RSS bounded by INGEST_MAX_UNACKED_BYTES while 3,000 × 250 KB wait, and loses none of them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-pg-'));
    const pg = new OwnPostgres(path.join(dir, 'data'), await embedded.freePort());
    let ingest: IngestProcess | undefined;
    let pub: MqttClient | undefined;
    const clientId = `rss-${process.pid}`;
    try {
      const url = await createDatabase(await pg.start(), 'rss');
      ingest = startIngest({
        DATABASE_URL: url,
        MQTT_URL: broker.url,
        INGEST_CLIENT_ID: clientId,
      });
      await ingest.ready;
      pub = await connectClient(broker.url);
      await pub.publishAsync('devices/rss-warm/temperature', '1', { qos: 1 });
      await new Promise((r) => setTimeout(r, 1000));
      const baseline = rssMb(ingest.proc.pid!);

      await pg.stop();
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(ingest!.proc.pid!))), 50);
      const big = Buffer.alloc(250_000, 0x37);
      for (let i = 0; i < 3000; i += 100)
        await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            pub!.publishAsync(`devices/rss-${(i + j) % 10}/blob`, big, { qos: 1 }),
          ),
        );
      await new Promise((r) => setTimeout(r, 2000));
      await pg.start();
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await waitFor(
          async () =>
            (await count(client, "SELECT count(*) n FROM dead_letters WHERE topic LIKE 'devices/rss-%'")) >=
            3000,
          120_000,
          '3,000 dead letters',
        );
        clearInterval(sampler);
        expect(
          await count(client, "SELECT count(*) n FROM dead_letters WHERE reason = 'PAYLOAD_TOO_LARGE'"),
        ).toBe(3000);
      } finally {
        clearInterval(sampler);
        await client.end();
      }
      await new Promise((r) => setTimeout(r, 2000));
      const after = rssMb(ingest.proc.pid!);
      console.log(
        `ingest RSS: baseline ${baseline} MB, peak ${peak} MB during the outage, ${after} MB after`,
      );
      // 750 MB passed through; the held window is 32 MiB of payloads (INGEST_MAX_UNACKED_BYTES). Measured here:
      // +100–130 MB at the peak; afterwards it stays near the peak (freed pages the allocator and V8 keep for
      // reuse, docs/ingest.md), so only the peak is held to the documented ceiling
      expect(peak).toBeLessThan(baseline + 150);
      expect(after).toBeLessThanOrEqual(peak);
    } finally {
      await pub?.endAsync();
      ingest?.proc.kill('SIGKILL');
      await ingest?.exited;
      await dropSession(broker.url, clientId);
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a broker crash with the shipped Mosquitto config', () => {
  it('loses none of a backlog acknowledged to publishers more than the autosave interval (1 s) before SIGKILL', async () => {
    if (!mosquittoInstalled()) {
      console.warn('broker-crash test needs Mosquitto: not run');
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-mosq-'));
    const port = await embedded.freePort();
    let mosq = await startPersistentMosquitto(port, dir);
    const db = await createTestDatabase();
    const clientId = `crash-${process.pid}`;
    let ingest: IngestProcess | undefined;
    try {
      // ingest's persistent session exists, then ingest is away while devices publish
      ingest = startIngest({ DATABASE_URL: db.url, MQTT_URL: mosq.url, INGEST_CLIENT_ID: clientId });
      await ingest.ready;
      ingest.proc.kill('SIGTERM'); // not stop(): that would also end the session
      await ingest.exited;
      const pub = await connectClient(mosq.url, { reconnectPeriod: 0 });
      const base = Date.now() - 3_600_000;
      await publishAll(
        pub,
        Array.from({ length: 5000 }, (_, i): [string, string] => [
          `devices/crash-${i % 10}/temperature`,
          JSON.stringify({ value: i, ts: base + i }),
        ]),
      );
      await pub.endAsync();
      await new Promise((r) => setTimeout(r, 2500));
      await mosq.kill();
      mosq = await startPersistentMosquitto(port, dir);
      ingest = startIngest({ DATABASE_URL: db.url, MQTT_URL: mosq.url, INGEST_CLIENT_ID: clientId });
      await ingest.ready;
      await waitFor(
        async () =>
          (await count(db.client, "SELECT count(*) n FROM readings WHERE device_id LIKE 'crash-%'")) >= 5000,
        60_000,
        '5,000 readings after the broker crash',
      );
      expect(await count(db.client, "SELECT count(*) n FROM readings WHERE device_id LIKE 'crash-%'")).toBe(
        5000,
      );
    } finally {
      ingest?.proc.kill('SIGKILL');
      await ingest?.exited;
      await mosq.stop();
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}
