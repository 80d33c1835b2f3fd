import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { MqttClient } from 'mqtt';
import { Client } from 'pg';

import { connectClient, OwnBroker, startOwnBroker } from '../../../test/support/broker';
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

// Delivery guarantees (DESIGN.md): nothing lost, nothing duplicated, whatever happens to ingest or the database.
// These tests use a broker of their own with the shipped Mosquitto limits (max_queued_messages etc.).
jest.setTimeout(180_000);

let broker: OwnBroker;
beforeAll(async () => {
  broker = await startOwnBroker();
});
afterAll(async () => {
  await broker?.stop();
});

/** Publishes n QoS 1 messages with unique (device, metric, ts) keys, in chunks, as fast as the broker takes them. */
async function publishStream(
  pub: MqttClient,
  n: number,
  tag: string,
  onProgress?: (sent: number) => Promise<void> | void,
) {
  const base = Date.now() - 3600_000;
  const chunk = 500;
  for (let i = 0; i < n; i += chunk) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + chunk); j++) {
      batch.push(
        pub.publishAsync(
          `devices/${tag}-${j % 50}/temperature`,
          JSON.stringify({ value: j / 10, ts: base + j }),
          { qos: 1 },
        ),
      );
    }
    await Promise.all(batch);
    await onProgress?.(Math.min(n, i + chunk));
  }
}

const rows = (db: TestDatabase, tag: string) =>
  count(db.client, `SELECT count(*) n FROM readings WHERE device_id LIKE $1`, [`${tag}-%`]);

describe('ingest delivery guarantees', () => {
  let db: TestDatabase;
  const running: IngestProcess[] = [];
  const ingest = (env: Record<string, string>) => {
    const p = startIngest({ DATABASE_URL: db.url, MQTT_URL: broker.url, ...env });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const p of running.splice(0)) {
      if (p.proc.exitCode === null && p.proc.signalCode === null) {
        p.proc.kill('SIGKILL');
        await p.exited;
      }
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('ends with exactly 50,000 rows when ingest is killed with SIGKILL in the middle of 50,000 messages', async () => {
    const clientId = `kill-${process.pid}`;
    const first = ingest({ INGEST_CLIENT_ID: clientId });
    await first.ready;
    const pub = await connectClient(broker.url);
    let killedAt = -1;
    await publishStream(pub, 50_000, 'kill', async (sent) => {
      if (killedAt < 0 && (await rows(db, 'kill')) >= 10_000) {
        first.proc.kill('SIGKILL');
        await first.exited;
        killedAt = await rows(db, 'kill');
      }
      void sent;
    });
    if (killedAt < 0) {
      // the stream outran the check: kill now, while the broker still holds unacknowledged messages
      first.proc.kill('SIGKILL');
      await first.exited;
      killedAt = await rows(db, 'kill');
    }
    await pub.endAsync();
    expect(killedAt).toBeLessThan(50_000);

    const second = ingest({ INGEST_CLIENT_ID: clientId });
    await second.ready;
    await waitFor(async () => (await rows(db, 'kill')) >= 50_000, 90_000, '50,000 rows');
    await new Promise((r) => setTimeout(r, 500));
    expect(await rows(db, 'kill')).toBe(50_000);
  });

  it('loses nothing when ingest gets SIGTERM mid-stream: it commits, acknowledges and exits 0', async () => {
    const clientId = `term-${process.pid}`;
    const first = ingest({ INGEST_CLIENT_ID: clientId });
    await first.ready;
    const pub = await connectClient(broker.url);
    let termed = false;
    await publishStream(pub, 20_000, 'term', async (sent) => {
      if (!termed && sent >= 8000) {
        termed = true;
        first.proc.kill('SIGTERM');
      }
    });
    await pub.endAsync();
    expect(await first.exited).toBe(0);
    expect(first.output()).not.toMatch(/"level":"error"/);

    const second = ingest({ INGEST_CLIENT_ID: clientId });
    await second.ready;
    await waitFor(async () => (await rows(db, 'term')) >= 20_000, 60_000, '20,000 rows');
    await new Promise((r) => setTimeout(r, 300));
    expect(await rows(db, 'term')).toBe(20_000);
  });

  it('reconnects and resubscribes after the broker restarts', async () => {
    const p = ingest({ INGEST_CLIENT_ID: `bounce-${process.pid}` });
    await p.ready;
    const port = new URL(broker.url).port;
    await broker.stop();
    broker = await startOwnBroker(Number(port));
    const pub = await connectClient(broker.url);
    // the restarted broker kept no session: ingest must subscribe again by itself
    await waitFor(
      async () => {
        await pub.publishAsync('devices/bounce-1/temperature', '20', { qos: 1 });
        return (await rows(db, 'bounce')) > 0;
      },
      30_000,
      'a reading after the broker restart',
    );
    await pub.endAsync();
  });

  it('shares the stream between replicas of one shared-subscription group, each message stored once', async () => {
    if (broker.kind !== 'mosquitto') {
      // Aedes has no shared subscriptions; Mosquitto is installed wherever CI runs
      console.warn('shared-subscription test needs Mosquitto: not run');
      return;
    }
    const a = ingest({ INGEST_CLIENT_ID: `share-a-${process.pid}`, INGEST_SHARED_GROUP: `g${process.pid}` });
    const b = ingest({ INGEST_CLIENT_ID: `share-b-${process.pid}`, INGEST_SHARED_GROUP: `g${process.pid}` });
    await Promise.all([a.ready, b.ready]);
    const pub = await connectClient(broker.url);
    await publishStream(pub, 5000, 'share');
    await pub.endAsync();
    await waitFor(async () => (await rows(db, 'share')) >= 5000, 30_000, '5,000 rows');
    expect(await rows(db, 'share')).toBe(5000);
    // both replicas wrote batches: each logs its own
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    expect(a.output()).toMatch(/stored \d+ readings/);
    expect(b.output()).toMatch(/stored \d+ readings/);
    const stored = [a, b].map((p) => Number(/stored (\d+) readings/.exec(p.output())![1]));
    expect(stored[0] + stored[1]).toBe(5000);
    expect(Math.min(...stored)).toBeGreaterThan(0);
  });
});

describe('ingest through a database restart', () => {
  it('holds acknowledgements while PostgreSQL is down and stores everything when it is back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-pg-'));
    const pg = new OwnPostgres(path.join(dir, 'data'), await embedded.freePort());
    let ingestProc: IngestProcess | undefined;
    try {
      const url = await createDatabase(await pg.start(), 'restart');
      ingestProc = startIngest({
        DATABASE_URL: url,
        MQTT_URL: broker.url,
        INGEST_CLIENT_ID: `pgrestart-${process.pid}`,
      });
      await ingestProc.ready;
      const pub = await connectClient(broker.url);
      let stopped = false;
      await publishStream(pub, 20_000, 'pgr', async (sent) => {
        if (!stopped && sent >= 6000) {
          stopped = true;
          await pg.stop();
        }
      });
      await pub.endAsync();
      await new Promise((r) => setTimeout(r, 1500));
      await pg.start();
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const n = () => count(client, `SELECT count(*) n FROM readings WHERE device_id LIKE 'pgr-%'`);
        await waitFor(async () => (await n()) >= 20_000, 60_000, '20,000 rows after the restart');
        await new Promise((r) => setTimeout(r, 300));
        expect(await n()).toBe(20_000);
      } finally {
        await client.end();
      }
      expect(ingestProc.output()).toMatch(/retry in/);
    } finally {
      ingestProc?.proc.kill('SIGKILL');
      await ingestProc?.exited;
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
