import { DataSource } from 'typeorm';

import { IngestConfig } from '../config/ingest.config';
import { Accepted, BatchWriter, mergeDeviceUpdates } from './batch-writer.service';

const at = (s: number) => new Date(Date.UTC(2026, 0, 15, 10, 0, s));
const reading = (deviceId: string, s = 0): Accepted => ({
  kind: 'data',
  topic: `devices/${deviceId}/t`,
  payload: Buffer.from('1'),
  receivedAt: at(s),
  deviceId,
  readings: [{ deviceId, metric: 't', ts: at(s), value: s }],
});

/** A DataSource whose transactions record their statements and fail while `down` is set. */
function fakeDb() {
  const batches: unknown[][][] = [];
  const state = { down: false };
  const db = {
    transaction: async (
      work: (tx: { query: (sql: string, params: unknown[]) => Promise<unknown[]> }) => Promise<void>,
    ) => {
      if (state.down) throw new Error('connection refused');
      const statements: unknown[][] = [];
      await work({ query: async (sql, params) => (statements.push([sql, params]), []) });
      batches.push(statements);
    },
  } as unknown as DataSource;
  return { db, batches, state };
}

const config = (over: Partial<IngestConfig> = {}) =>
  ({
    INGEST_BATCH_SIZE: 3,
    INGEST_BATCH_MAX_WAIT_MS: 50,
    INGEST_REQUIRE_REGISTERED: false,
    ...over,
  }) as IngestConfig;

describe(BatchWriter.name, () => {
  afterEach(() => jest.useRealTimers());

  it('writes messages arriving together in one transaction and resolves each when it commits', async () => {
    const { db, batches } = fakeDb();
    const w = new BatchWriter(db, config({ INGEST_BATCH_SIZE: 100 }));
    await Promise.all([w.add(reading('a')), w.add(reading('b')), w.add(reading('c'))]);
    expect(batches).toHaveLength(1);
    expect(w.stats).toMatchObject({ batches: 1, rows: 3 });
  });

  it('splits at INGEST_BATCH_SIZE', async () => {
    const { db, batches } = fakeDb();
    const w = new BatchWriter(db, config({ INGEST_BATCH_SIZE: 3 }));
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((d) => w.add(reading(d))));
    expect(batches).toHaveLength(3);
    expect(w.stats.rows).toBe(7);
  });

  it('holds a batch while the database is down, retries with growing backoff, and resolves once it is back', async () => {
    jest.useFakeTimers();
    const { db, batches, state } = fakeDb();
    state.down = true;
    const w = new BatchWriter(db, config());
    let committed = false;
    void w.add(reading('a')).then(() => (committed = true));
    await jest.advanceTimersByTimeAsync(2 + 100 + 200 + 400);
    expect(committed).toBe(false);
    expect(w.stats.retries).toBe(4);
    state.down = false;
    await jest.advanceTimersByTimeAsync(800);
    expect(committed).toBe(true);
    expect(batches).toHaveLength(1);
  });

  it('rejects what it holds at shutdown, so those messages are never acknowledged', async () => {
    jest.useFakeTimers();
    const { db, state } = fakeDb();
    state.down = true;
    const w = new BatchWriter(db, config());
    const pending = w.add(reading('a'));
    await jest.advanceTimersByTimeAsync(10);
    w.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(5000);
    const late = w.add(reading('b'));
    w.onApplicationShutdown();
    await expect(late).rejects.toThrow();
    await expect(pending).rejects.toThrow();
  });
});

describe(mergeDeviceUpdates.name, () => {
  it('keeps one row per device with the latest time and the last reported state, sorted by id', () => {
    const merged = mergeDeviceUpdates([
      { deviceId: 'b', receivedAt: at(1), device: { battery: 80 } },
      { deviceId: 'a', receivedAt: at(5), device: { online: true } },
      { deviceId: 'b', receivedAt: at(3), device: { status: 'ok' } },
      { deviceId: 'b', receivedAt: at(2), device: { battery: 79 } },
    ]);
    expect(merged).toEqual([
      { id: 'a', seen: at(5), online: true },
      { id: 'b', seen: at(3), battery: 79, status: 'ok' },
    ]);
  });
});
