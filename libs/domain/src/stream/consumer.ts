import type Redis from 'ioredis';

/** One entry of a SensorHub stream: its id and its fields (mqtt:ingestion: device_id, metric, value, timestamp). */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

export interface ConsumeOptions {
  redis: Redis;
  /** e.g. mqtt:ingestion */
  stream: string;
  group: string;
  consumer: string;
  /** entries per read (default 100) */
  count?: number;
  /** how long one read waits for new entries (default 1000 ms) */
  blockMs?: number;
  /** entries another consumer read but did not acknowledge for this long are taken over (default 30 s) */
  claimIdleMs?: number;
  /** does the work; the entries are acknowledged (XACK) only when it resolves. Throwing leaves them pending. */
  handle(entries: StreamEntry[]): Promise<void>;
  /** stops the loop after the current read */
  signal?: AbortSignal;
}

type Raw = Array<[string, string[]]>;

const toEntries = (raw: Raw | null | undefined): StreamEntry[] =>
  (raw ?? [])
    .filter(([, f]) => f) // XAUTOCLAIM lists deleted (trimmed) entries with null fields
    .map(([id, f]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i < f.length; i += 2) fields[f[i]] = f[i + 1];
      return { id, fields };
    });

/**
 * A consumer-group reader: at-least-once. It first re-handles its own pending entries (a restart after a crash),
 * then loops: take over entries idle longer than claimIdleMs from dead consumers (XAUTOCLAIM), read new ones
 * (XREADGROUP … >), hand them to `handle`, acknowledge (XACK). The stream may repeat an entry (ingest appends a batch
 * again if it crashed before acknowledging it to the broker): dedupe on (device_id, metric, timestamp).
 */
export async function consumeStream(o: ConsumeOptions): Promise<void> {
  const { redis, stream, group, consumer } = o;
  const count = o.count ?? 100;
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (e) {
    if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
  }
  const work = async (entries: StreamEntry[]) => {
    if (!entries.length) return;
    await o.handle(entries);
    await redis.xack(stream, group, ...entries.map((e) => e.id));
  };
  // our own pending entries first: read before a crash, never acknowledged
  for (;;) {
    const mine = (await redis.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      stream,
      '0',
    )) as Array<[string, Raw]> | null;
    const entries = toEntries(mine?.[0]?.[1]);
    if (!entries.length) break;
    await work(entries);
  }
  let cursor = '0-0';
  while (!o.signal?.aborted) {
    const claimed = (await redis.xautoclaim(
      stream,
      group,
      consumer,
      o.claimIdleMs ?? 30_000,
      cursor,
      'COUNT',
      count,
    )) as [string, Raw];
    cursor = claimed[0];
    await work(toEntries(claimed[1]));
    if (o.signal?.aborted) break;
    const fresh = (await redis.xreadgroup(
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      o.blockMs ?? 1000,
      'STREAMS',
      stream,
      '>',
    )) as Array<[string, Raw]> | null;
    await work(toEntries(fresh?.[0]?.[1]));
  }
}
