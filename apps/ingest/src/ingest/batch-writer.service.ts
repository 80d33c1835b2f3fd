import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import {
  DEAD_LETTER_PAYLOAD_LIMIT,
  DEAD_LETTER_REASONS,
  DeadLetterReason,
  DeviceState,
  encodeLive,
  LIVE_CHANNEL,
  readingTimestamp,
  ReadingRow,
} from '@sensorhub/domain';

import { INGEST_CONFIG } from '../config/config.tokens';
import { IngestConfig } from '../config/ingest.config';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { StreamOutput } from '../stream/stream-output.service';
import { Acks, NO_TICKET } from '../transport/puback-gate';
import { databaseMessage, isDataError, isUniqueViolation } from './database-errors';
import { DeviceSeen, DeviceUpdate, SEEN_FLUSH_SQL, SEEN_RESOLUTION_MS } from './device-seen';

const LINGER_MS = 2;
/** a refused batch is halved down to this size, then written a message at a time under savepoints */
const ISOLATE_CHUNK = 64;
/**
 * After a batch met a key stored already (a redelivery, a device resending), batches are written with the
 * ON CONFLICT statement for this long; otherwise with a plain INSERT, which costs PostgreSQL a fifth less per row.
 */
const CONFLICTS_EXPECTED_MS = 10_000;

/** One received message, as stored: readings and device state, or a dead letter. */
export type Accepted =
  | {
      kind: 'data';
      topic: string;
      payload: Buffer;
      receivedAt: Date;
      deviceId: string;
      readings: ReadingRow[];
      device?: DeviceState;
    }
  | {
      kind: 'dead';
      topic: string;
      /** the payload, possibly already cut to what is stored */
      payload: Buffer;
      /** the size received, when `payload` was cut */
      payloadSize?: number;
      receivedAt: Date;
      reason: DeadLetterReason;
      detail: string;
    };

/**
 * Messages written in one transaction, acknowledged together when it commits: their tickets settled at once through
 * `acks` (nothing per message waits on a promise), and `done` resolved for callers that await the commit.
 */
class Batch {
  readonly items: Accepted[] = [];
  readonly tickets: number[] = [];
  acks?: Acks;
  readonly done: Promise<void>;
  private finish!: (err?: Error) => void;

  constructor() {
    this.done = new Promise<void>(
      (resolve, reject) => (this.finish = (err) => (err ? reject(err) : resolve())),
    );
    this.done.catch(() => undefined); // a caller may await it too; this only marks the rejection as seen
  }

  settle(err?: Error): void {
    this.acks?.settle(this.tickets, !err);
    this.finish(err);
  }
}

export interface BatchStats {
  batches: number;
  rows: number;
  retries: number;
  /** messages the database refused, stored as DATABASE_REJECTED dead letters */
  rejected: number;
  /** readings refused as CONFLICTING_DUPLICATE */
  conflicts: number;
}

type DataItem = Extract<Accepted, { kind: 'data' }>;
type DeadItem = Extract<Accepted, { kind: 'dead' }>;

/**
 * What a committed batch hands on to the stream output: its readings (but refused duplicates) and dead letters; and
 * its devices' updates, those written and all, for the last_seen throttle.
 */
interface Committed {
  readings: ReadingRow[];
  dead: DeadItem[];
  devices: DeviceUpdate[];
  devicesWritten: DeviceUpdate[];
}
const committed = (): Committed => ({ readings: [], dead: [], devices: [], devicesWritten: [] });
const mergeInto = (to: Committed, from: Committed) => {
  if (!to.readings.length)
    to.readings = from.readings; // the usual case: one transaction, nothing to copy
  else for (const r of from.readings) to.readings.push(r);
  for (const d of from.dead) to.dead.push(d);
  for (const d of from.devices) to.devices.push(d);
  for (const d of from.devicesWritten) to.devicesWritten.push(d);
};

/**
 * Group commit: messages wait in memory until written together in one transaction, at most INGEST_BATCH_SIZE at a
 * time and INGEST_BATCH_MAX_WAIT_MS after the first; while one batch is being written the next one fills. Each
 * `add()` resolves only when its batch is committed, which is when its message may be acknowledged. A failing
 * database is retried with backoff, never dropped.
 */
@Injectable()
export class BatchWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(BatchWriter.name);
  /** full batches waiting for the writer, then the one still filling */
  private queue: Batch[] = [];
  private writing = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** until when batches expect stored keys (performance.now() ms) */
  private conflictsUntil = 0;
  private readonly seen = new DeviceSeen();
  private seenTimer?: NodeJS.Timeout;
  readonly stats: BatchStats = { batches: 0, rows: 0, retries: 0, rejected: 0, conflicts: 0 };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly stream: StreamOutput = new StreamOutput(config),
    @Optional() private readonly metrics?: IngestMetrics,
  ) {}

  /**
   * Queues `item`; when its batch is committed, settles `ticket` through `acks` (the message is acknowledged) and
   * resolves the returned promise (one shared promise per batch, not one per message).
   */
  add(item: Accepted, ticket = NO_TICKET, acks?: Acks): Promise<void> {
    const size = this.config.INGEST_BATCH_SIZE;
    let batch = this.queue[this.queue.length - 1];
    if (!batch || batch.items.length >= size) this.queue.push((batch = new Batch()));
    batch.items.push(item);
    if (acks && ticket !== NO_TICKET) {
      batch.tickets.push(ticket);
      batch.acks = acks;
    }
    this.kick(batch.items.length >= size);
    return batch.done;
  }

  async onApplicationShutdown(): Promise<void> {
    // runs after the MQTT server drained; whatever is still here was never acknowledged
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.seenTimer);
    this.logger.log(
      `stored ${this.stats.rows} readings in ${this.stats.batches} batches (${this.stats.retries} retries)`,
    );
    for (const b of this.queue.splice(0)) b.settle(new Error('shutting down'));
    if (!this.writing) await this.flushSeen();
  }

  /** Writes the held last_seen values, when no batch is being written (a batch writes due devices itself). */
  private async flushSeen(): Promise<void> {
    if (this.writing || !this.seen.holding) return;
    this.writing = true;
    const entries = this.seen.pending();
    try {
      await this.db.query(SEEN_FLUSH_SQL, [entries.map((e) => e[0]), entries.map((e) => e[1])]);
      this.seen.flushed(entries);
    } catch (err) {
      // held still: the next second tries again, or the device's next batch writes its row
      this.logger.debug(`last_seen of ${entries.length} devices not written yet (${databaseMessage(err)})`);
    } finally {
      this.writing = false;
    }
    if (this.queue.length && !this.stopped) this.kick(true);
  }

  /** After a commit: the devices whose last_seen waits for `flushSeen`, every second while there are any. */
  private settleSeen(written: Committed): void {
    if (!written.devices.length) return;
    this.seen.committed(written.devices, written.devicesWritten);
    if (this.seen.holding && !this.seenTimer && !this.stopped)
      this.seenTimer = setInterval(() => void this.flushSeen(), SEEN_RESOLUTION_MS).unref();
  }

  private kick(full: boolean): void {
    if (this.writing) return; // the running loop takes the next batch as soon as it is done
    if (full || this.config.INGEST_BATCH_MAX_WAIT_MS === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
    } else if (!this.timer) {
      // let the messages already in the socket buffer join the batch; while a batch is being written the next one
      // fills anyway, so the wait never exceeds one write plus this linger
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          void this.drain();
        },
        Math.min(this.config.INGEST_BATCH_MAX_WAIT_MS, LINGER_MS),
      );
    }
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    // with the stream on, a committed batch's append overlaps the next batch's transaction (one append in flight)
    let appending: Promise<void> | undefined;
    try {
      for (;;) {
        if (!this.queue.length || this.stopped) {
          if (!appending) break;
          await appending;
          appending = undefined;
          continue; // batches that arrived meanwhile
        }
        const batch = this.queue.shift()!;
        const out = committed();
        const started = performance.now();
        if (!(await this.store(batch.items, out))) {
          await appending;
          batch.settle(new Error('not written'));
          continue;
        }
        this.metrics?.committed({
          messages: batch.items.length,
          readings: out.readings.length,
          deadReasons: out.dead.map((d) => d.reason),
          seconds: (performance.now() - started) / 1000,
        });
        if (!this.stream.enabled) {
          batch.settle();
          continue;
        }
        const previous = appending;
        appending = (async () => {
          await previous;
          batch.settle((await this.appendToStream(out)) ? undefined : new Error('not written'));
        })();
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * Commits `items`: as data where the database takes them, as DATABASE_REJECTED dead letters where it refuses them.
   * Resolves false only when shutting down before the commit.
   */
  private async store(items: Accepted[], out: Committed): Promise<boolean> {
    let expectConflicts = performance.now() < this.conflictsUntil;
    for (let attempt = 0; ; attempt++) {
      try {
        const written = committed();
        await this.db.transaction((tx) => this.write(tx, items, written, expectConflicts));
        this.settleSeen(written);
        mergeInto(out, written);
        if (attempt > 0)
          this.logger.log(`database back: wrote ${items.length} held messages after ${attempt} retries`);
        return true;
      } catch (err) {
        if (this.stopped) return false;
        if (!expectConflicts && isUniqueViolation(err)) {
          // a key stored already: the same batch again with the statement that skips stored keys, at once
          expectConflicts = true;
          this.conflictsUntil = performance.now() + CONFLICTS_EXPECTED_MS;
          attempt--;
          continue;
        }
        if (isDataError(err)) return this.isolate(items, err, out);
        await this.backoff(attempt, items.length, err);
      }
    }
  }

  /** Finds the messages the database refuses: halves the batch, then tries small chunks message by message. */
  private async isolate(items: Accepted[], err: unknown, out: Committed): Promise<boolean> {
    if (items.length > ISOLATE_CHUNK) {
      this.logger.warn(
        `the database refused a batch of ${items.length} (${databaseMessage(err)}): splitting it to find the message`,
      );
      const mid = items.length >>> 1;
      return (await this.store(items.slice(0, mid), out)) && (await this.store(items.slice(mid), out));
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const written = committed();
        await this.db.transaction((tx) => this.writeOneByOne(tx, items, written));
        this.settleSeen(written);
        mergeInto(out, written);
        return true;
      } catch (e) {
        if (this.stopped) return false;
        await this.backoff(attempt, items.length, e);
      }
    }
  }

  /** Each message under its own savepoint; the refused ones become dead letters in the same transaction. */
  private async writeOneByOne(tx: EntityManager, items: Accepted[], out: Committed): Promise<void> {
    const refused: DeadItem[] = [];
    for (const item of items) {
      await tx.query('SAVEPOINT one_message');
      try {
        const one = committed();
        await this.write(tx, [item], one, true);
        await tx.query('RELEASE SAVEPOINT one_message');
        mergeInto(out, one);
      } catch (err) {
        if (!isDataError(err)) throw err;
        await tx.query('ROLLBACK TO SAVEPOINT one_message');
        refused.push(rejectedItem(item, err));
      }
    }
    if (!refused.length) return;
    // one line per chunk, not per message: a stream of poison must not flood the log
    this.logger.warn({
      msg:
        `${refused.length} of ${items.length} messages refused by the database, stored as dead letters ` +
        `(first: ${refused[0].detail})`,
      topic: noNul(refused[0].topic),
    });
    await tx.query('SAVEPOINT dead_letters');
    try {
      await this.writeDead(tx, refused);
      out.dead.push(...refused);
      this.stats.rejected += refused.length;
    } catch (err) {
      if (!isDataError(err)) throw err;
      // even the dead letter is refused: say so loudly rather than stall every device behind it
      await tx.query('ROLLBACK TO SAVEPOINT dead_letters');
      for (const r of refused)
        this.logger.error({ msg: `could not store a dead letter: ${r.detail}`, topic: noNul(r.topic) });
    }
  }

  /** After the commit, before the acknowledgement: a Redis outage holds acks and retries, as a database outage does. */
  private async appendToStream(out: Committed): Promise<boolean> {
    if (!this.stream.enabled) return true;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.stream.append(out.readings, out.dead);
        if (attempt > 0) this.logger.log(`redis back: appended a held batch after ${attempt} retries`);
        this.stream.failures = 0;
        return true;
      } catch (err) {
        if (this.stopped) return false;
        this.stream.failures++;
        this.stats.retries++;
        const delay = Math.min(100 * 2 ** attempt, 5000);
        if (attempt === 0 || delay === 5000)
          this.logger.warn(
            `stream append of ${out.readings.length + out.dead.length} entries failed (${(err as Error).message}); acknowledgements held, retry in ${delay} ms`,
          );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async backoff(attempt: number, n: number, err: unknown): Promise<void> {
    this.stats.retries++;
    const delay = Math.min(100 * 2 ** attempt, 5000);
    this.logger.warn(`write of ${n} messages failed (${databaseMessage(err)}); retry in ${delay} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }

  /**
   * Writes `items` in `tx`. Unless `expectConflicts`, readings go in with a plain INSERT: a key stored already makes
   * it fail with a unique violation, and the caller writes the batch again with `expectConflicts`.
   */
  private async write(
    tx: EntityManager,
    items: Accepted[],
    out: Committed,
    expectConflicts: boolean,
  ): Promise<void> {
    let data = items.filter((i): i is DataItem => i.kind === 'data');
    const dead = items.filter((i): i is DeadItem => i.kind === 'dead');

    if (this.config.INGEST_REQUIRE_REGISTERED && data.length) {
      const ids = [...new Set(data.map((d) => d.deviceId))];
      const rows: Array<{ id: string }> = await tx.query(
        'SELECT id FROM devices WHERE id = ANY($1::text[])',
        [ids],
      );
      const known = new Set(rows.map((r) => r.id));
      for (const d of data.filter((d) => !known.has(d.deviceId))) {
        dead.push({
          kind: 'dead',
          topic: d.topic,
          payload: d.payload,
          receivedAt: d.receivedAt,
          reason: DEAD_LETTER_REASONS.unknownDevice,
          detail: `device "${d.deviceId}" is not registered`,
        });
      }
      data = data.filter((d) => known.has(d.deviceId));
    }

    const readings: ReadingRow[] = [];
    const owner: DataItem[] = [];
    for (const d of data) {
      for (const r of d.readings) {
        readings.push(r);
        owner.push(d);
      }
    }
    let refusedReadings = new Set<ReadingRow>();
    if (readings.length) {
      const columns = readingColumns(readings);
      let inserted = readings.length;
      if (!expectConflicts) await tx.query(READINGS_PLAIN_INSERT_SQL, columns);
      else [{ inserted }] = await tx.query<Array<{ inserted: number }>>(READINGS_INSERT_SQL, columns);
      // every key new (the usual case): nothing to compare. Otherwise some were stored already (a redelivery, or
      // a conflicting duplicate): look those up.
      const conflicts: Array<{ ord: string; stored: number }> =
        inserted === readings.length ? [] : await tx.query(READINGS_CONFLICTS_SQL, columns);
      if (conflicts.length) {
        refusedReadings = new Set(conflicts.map((c) => readings[Number(c.ord) - 1]));
        dead.push(...conflictDeadLetters(conflicts, readings, owner));
        this.stats.conflicts += conflicts.length;
      }
    }

    const devices = mergeDeviceUpdates(data);
    const due = this.seen.due(devices);
    if (due.length) {
      await tx.query(
        `INSERT INTO devices (id, first_seen, last_seen, status, battery, online)
         SELECT id, seen, seen, status, battery, online
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::real[], $5::boolean[]) AS u(id, seen, status, battery, online)
         ON CONFLICT (id) DO UPDATE SET
           last_seen = GREATEST(devices.last_seen, EXCLUDED.last_seen),
           status = COALESCE(EXCLUDED.status, devices.status),
           battery = COALESCE(EXCLUDED.battery, devices.battery),
           online = COALESCE(EXCLUDED.online, devices.online)`,
        [
          due.map((d) => d.id),
          due.map((d) => d.seen.toISOString()),
          due.map((d) => d.status ?? null),
          due.map((d) => d.battery ?? null),
          due.map((d) => d.online ?? null),
        ],
      );
    }

    if (dead.length) await this.writeDead(tx, dead);
    // no per-reading Set lookup unless something was refused: each would give every reading object an identity hash
    const stored = refusedReadings.size ? readings.filter((r) => !refusedReadings.has(r)) : readings;
    for (const r of stored) out.readings.push(r);
    for (const d of dead) out.dead.push(d);
    for (const d of devices) out.devices.push(d);
    for (const d of due) out.devicesWritten.push(d);
    // delivered to LISTENers only when this transaction commits
    const live = encodeLive(
      stored.map((r) => [r.deviceId, r.metric, r.ts.getTime(), r.value]),
      devices.map((d) => ({
        id: d.id,
        lastSeen: d.seen.getTime(),
        online: d.online,
        status: d.status,
        battery: d.battery,
      })),
    );
    if (live.length)
      // one text parameter split by the record separator, which JSON never holds raw: as a text[] every quote of
      // every payload went through pg's array escaping
      await tx.query(`SELECT pg_notify($1, p) FROM unnest(string_to_array($2, chr(30))) AS p`, [
        LIVE_CHANNEL,
        live.join('\u001e'),
      ]);
    this.stats.batches++;
    this.stats.rows += readings.length - refusedReadings.size;
  }

  private async writeDead(tx: EntityManager, dead: DeadItem[]): Promise<void> {
    await tx.query(
      `INSERT INTO dead_letters (topic, payload, payload_size, reason, detail, received_at)
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::int[], $4::text[], $5::text[], $6::timestamptz[])`,
      [
        dead.map((d) => noNul(d.topic)),
        dead.map((d) => d.payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT)),
        dead.map((d) => d.payloadSize ?? d.payload.length),
        dead.map((d) => d.reason),
        dead.map((d) => noNul(d.detail)),
        dead.map((d) => d.receivedAt.toISOString()),
      ],
    );
    // at debug, one line per dead letter naming its topic (the dead-letters page has them all, with payloads)
    for (const d of dead)
      this.logger.debug({
        msg: 'dead letter',
        topic: noNul(d.topic),
        reason: d.reason,
        detail: noNul(d.detail),
      });
  }
}

/**
 * The readings as four array literals (`{"a","b"}`, `{1,2}`) for the unnest parameters, built in one pass: pg's
 * generic array encoder escapes every element through a regular expression, which was a tenth of ingest's CPU.
 * Timestamps are epoch microseconds: exact in a double until the year 2255, no date formatting per reading.
 */
export function readingColumns(readings: readonly ReadingRow[]): [string, string, string, string] {
  let ids = '{';
  let metrics = '{';
  let micros = '{';
  let values = '{';
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i];
    const sep = i ? ',' : '';
    ids += sep + arrayText(r.deviceId);
    metrics += sep + arrayText(r.metric);
    micros += sep + (r.ts.getTime() * 1000 + (r.us ?? 0));
    values += sep + r.value;
  }
  return [ids + '}', metrics + '}', micros + '}', values + '}'];
}

/** one element of a text array literal: always quoted (an id may be NULL), backslash and quote escaped */
const arrayText = (s: string): string =>
  s.includes('"') || s.includes('\\') ? `"${s.replace(/["\\]/g, '\\$&')}"` : `"${s}"`;

/** epoch microseconds (int8) → timestamptz, exactly */
const FROM_MICROS = (us: string) => `'epoch'::timestamptz + ${us} * interval '1 microsecond'`;

/** Inserts the batch's readings, all new (the usual case): a key stored already fails the statement. */
const READINGS_PLAIN_INSERT_SQL = `
  INSERT INTO readings (device_id, metric, ts, value)
  SELECT d, m, ${FROM_MICROS('us')}, v FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[]) AS u(d, m, us, v)`;

/**
 * Inserts the batch's readings; a key already stored is skipped (ON CONFLICT DO NOTHING). Returns how many rows were
 * inserted. The table's triggers fold only the rows actually inserted into the rollups.
 */
const READINGS_INSERT_SQL = `
  WITH ins AS (
    INSERT INTO readings (device_id, metric, ts, value)
    SELECT d, m, ${FROM_MICROS('us')}, v FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[]) AS u(d, m, us, v)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::int AS inserted FROM ins`;

/**
 * After READINGS_INSERT_SQL inserted fewer rows than it was given, in the same transaction: the readings refused as
 * conflicting duplicates — a key stored with another value (before this batch, or earlier in it). A key stored with
 * the same value is a redelivery and silently a no-op.
 */
const READINGS_CONFLICTS_SQL = `
  SELECT i.ord, r.value AS stored
  FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[]) WITH ORDINALITY AS i(device_id, metric, us, value, ord)
  JOIN readings r ON r.device_id = i.device_id AND r.metric = i.metric AND r.ts = ${FROM_MICROS('i.us')}
  WHERE r.value <> i.value`;

function conflictDeadLetters(
  conflicts: Array<{ ord: string; stored: number }>,
  readings: ReadingRow[],
  owner: DataItem[],
): DeadItem[] {
  const byItem = new Map<DataItem, string[]>();
  for (const c of conflicts) {
    const i = Number(c.ord) - 1;
    const r = readings[i];
    const text = `${r.metric} at ${readingTimestamp(r)} is stored as ${c.stored}; ${r.value} was not stored`;
    byItem.set(owner[i], [...(byItem.get(owner[i]) ?? []), text]);
  }
  return [...byItem].map(([item, texts]) => ({
    kind: 'dead',
    topic: item.topic,
    payload: item.payload,
    receivedAt: item.receivedAt,
    reason: DEAD_LETTER_REASONS.conflictingDuplicate,
    detail: texts.slice(0, 5).join('; ') + (texts.length > 5 ? `; and ${texts.length - 5} more` : ''),
  }));
}

/** The dead letter standing for a message the database refused. */
function rejectedItem(item: Accepted, err: unknown): DeadItem {
  const detail = `the database refused it: ${databaseMessage(err)}`;
  return {
    kind: 'dead',
    topic: item.topic,
    payload: item.payload,
    receivedAt: item.receivedAt,
    reason: DEAD_LETTER_REASONS.databaseRejected,
    detail: item.kind === 'dead' ? `${item.reason}: ${item.detail}; ${detail}` : detail,
  };
}

/** One row per device and batch (an upsert may not touch a row twice), latest state wins, sorted against deadlocks. */
export function mergeDeviceUpdates(
  data: Array<{ deviceId: string; receivedAt: Date; device?: DeviceState }>,
): DeviceUpdate[] {
  const byId = new Map<string, DeviceUpdate>();
  for (const d of data) {
    const u = byId.get(d.deviceId) ?? { id: d.deviceId, seen: d.receivedAt };
    if (d.receivedAt > u.seen) u.seen = d.receivedAt;
    if (d.device?.status !== undefined) u.status = d.device.status;
    if (d.device?.battery !== undefined) u.battery = d.device.battery;
    if (d.device?.online !== undefined) u.online = d.device.online;
    byId.set(d.deviceId, u);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** PostgreSQL text cannot hold NUL; a raw topic may. */
const noNul = (s: string): string => s.split('\u0000').join('\uFFFD');
