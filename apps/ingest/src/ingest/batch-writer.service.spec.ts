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

/** the elements of an array parameter: the readings columns are array literals (readingColumns) */
const elements = (p: unknown): string[] => {
  const s = p as string;
  return s === '{}' ? [] : s.slice(1, -1).split(',');
};

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
      // as PostgreSQL answers the readings insert: every row new
      await work({
        query: async (sql, params) => (
          statements.push([sql, params]),
          sql.includes('INSERT INTO readings ') ? [{ inserted: elements(params[0]).length }] : []
        ),
      });
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

/**
 * A DataSource that behaves like PostgreSQL for what isolation needs: a statement inserting the value 666 fails with
 * a data error (SQLSTATE 22003), a failed transaction leaves nothing, ROLLBACK TO SAVEPOINT undoes what followed it.
 */
function refusingDb() {
  const committed = { values: [] as number[], dead: [] as Array<{ reason: string; detail: string }> };
  let transactions = 0;
  const db = {
    transaction: async (
      work: (tx: { query: (sql: string, params?: unknown[]) => Promise<unknown[]> }) => Promise<void>,
    ) => {
      transactions++;
      const log: Array<{
        savepoint?: string;
        values?: number[];
        dead?: Array<{ reason: string; detail: string }>;
      }> = [];
      await work({
        query: async (sql, params = []) => {
          const savepoint = /^(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT) (\w+)/.exec(sql);
          if (savepoint?.[1] === 'SAVEPOINT') log.push({ savepoint: savepoint[2] });
          if (savepoint?.[1] === 'ROLLBACK TO SAVEPOINT') {
            const at = log.map((e) => e.savepoint).lastIndexOf(savepoint[2]);
            log.splice(at + 1);
          }
          if (sql.includes('INSERT INTO readings ')) {
            const values = elements(params[3]).map(Number);
            if (values.includes(666))
              throw Object.assign(new Error('value 666 violates check'), { code: '23514' });
            log.push({ values });
            return [{ inserted: values.length }];
          }
          if (sql.includes('INSERT INTO dead_letters')) {
            const [reasons, details] = [params[3] as string[], params[4] as string[]];
            log.push({ dead: reasons.map((reason, i) => ({ reason, detail: details[i] })) });
          }
          return [];
        },
      });
      for (const e of log) {
        committed.values.push(...(e.values ?? []));
        committed.dead.push(...(e.dead ?? []));
      }
    },
  } as unknown as DataSource;
  return { db, committed, transactions: () => transactions };
}

const valued = (deviceId: string, value: number): Accepted => ({
  kind: 'data',
  topic: `devices/${deviceId}/t`,
  payload: Buffer.from(String(value)),
  receivedAt: at(0),
  deviceId,
  readings: [{ deviceId, metric: 't', ts: at(0), value }],
});

describe(`${BatchWriter.name} with messages the database refuses`, () => {
  it('stores everything else of the batch and each refused message as a DATABASE_REJECTED dead letter', async () => {
    const { db, committed } = refusingDb();
    const w = new BatchWriter(db, config({ INGEST_BATCH_SIZE: 1000 }));
    const values = Array.from({ length: 500 }, (_, i) => (i % 97 === 5 ? 666 : i));
    await Promise.all(values.map((v, i) => w.add(valued(`d${i}`, v))));
    expect(committed.values.sort((a, b) => a - b)).toEqual(values.filter((v) => v !== 666));
    expect(committed.dead).toHaveLength(values.filter((v) => v === 666).length);
    expect(committed.dead[0]).toEqual({
      reason: 'DATABASE_REJECTED',
      detail: 'the database refused it: value 666 violates check (SQLSTATE 23514)',
    });
    expect(w.stats.rejected).toBe(committed.dead.length);
  });

  it('finds one refused message in a full batch with few transactions, not one per message', async () => {
    const { db, committed, transactions } = refusingDb();
    const w = new BatchWriter(db, config({ INGEST_BATCH_SIZE: 5000 }));
    await Promise.all(
      Array.from({ length: 5000 }, (_, i) => w.add(valued(`d${i}`, i === 4321 ? 666 : 1000 + i))),
    );
    expect(committed.values).toHaveLength(4999);
    expect(committed.dead).toHaveLength(1);
    expect(transactions()).toBeLessThan(40);
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
