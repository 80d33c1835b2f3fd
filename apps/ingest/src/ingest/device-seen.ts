import { DeviceState } from '@sensorhub/domain';

/** One device's row change from one batch: when it was last heard from and what state it reported. */
export interface DeviceUpdate extends DeviceState {
  id: string;
  seen: Date;
}

/** devices.last_seen moves in the database at most this often while a device reports nothing else */
export const SEEN_RESOLUTION_MS = 1000;

/**
 * Spares the devices table one row update per device and batch. A device that sends many messages a second (or a
 * burst of held readings after a reconnect) would otherwise have its row rewritten by every batch — an index lookup,
 * a new row version and its cleanup, for a `last_seen` that moved by milliseconds. A batch writes a device's row when
 * the device is new to this process, reports state (status, battery, presence), or was last written
 * SEEN_RESOLUTION_MS ago or more; otherwise its `last_seen` is held here and written by the next batch that writes
 * the row or by `flush()` within a second. Readings are never held: only `last_seen`, which may lag by under a second
 * (and by that much after a crash, until the device's next message).
 */
export class DeviceSeen {
  /** id → last_seen (ms) of the row as last committed by this process */
  private readonly written = new Map<string, number>();
  /** id → a later last_seen (ms) not written yet */
  private readonly held = new Map<string, number>();

  constructor(private readonly resolutionMs = SEEN_RESOLUTION_MS) {}

  get holding(): number {
    return this.held.size;
  }

  /** The updates a batch must write now; the others wait for `committed()` to hold their last_seen. */
  due(devices: readonly DeviceUpdate[]): DeviceUpdate[] {
    return devices.filter((d) => {
      if (d.status !== undefined || d.battery !== undefined || d.online !== undefined) return true;
      const w = this.written.get(d.id);
      return w === undefined || d.seen.getTime() - w >= this.resolutionMs;
    });
  }

  /** After the batch's commit: `devices` were all in it, `written` (from `due`) went to the table. */
  committed(devices: readonly DeviceUpdate[], written: readonly DeviceUpdate[]): void {
    const wrote = new Set(written);
    for (const d of devices) {
      const t = d.seen.getTime();
      if (wrote.has(d)) {
        this.written.set(d.id, Math.max(t, this.written.get(d.id) ?? t));
        if ((this.held.get(d.id) ?? -Infinity) <= t) this.held.delete(d.id);
      } else if (t > (this.held.get(d.id) ?? -Infinity)) this.held.set(d.id, t);
    }
  }

  /** The held last_seen values in id order, to write with `SEEN_FLUSH_SQL`; `flushed(them)` once committed. */
  pending(): Array<[string, number]> {
    return [...this.held].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  flushed(entries: ReadonlyArray<[string, number]>): void {
    for (const [id, t] of entries) {
      this.written.set(id, Math.max(t, this.written.get(id) ?? t));
      if (this.held.get(id) === t) this.held.delete(id);
    }
  }
}

/**
 * Moves held last_seen values forward (never back: a batch may have written a later one meanwhile), in id order (`pending()`)
 * as the batches' upsert does, so that writers in several replicas cannot deadlock. A row deleted since this process
 * wrote it (an admin deleted the device while it kept reporting) is inserted again: the readings held for it were
 * stored, and every stored reading's device has a row.
 */
export const SEEN_FLUSH_SQL = `
  INSERT INTO devices (id, first_seen, last_seen)
  SELECT id, to_timestamp(ms / 1000), to_timestamp(ms / 1000) FROM unnest($1::text[], $2::float8[]) AS u(id, ms)
  ON CONFLICT (id) DO UPDATE SET last_seen = EXCLUDED.last_seen WHERE devices.last_seen < EXCLUDED.last_seen`;
