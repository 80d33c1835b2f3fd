import { DeviceSeen, DeviceUpdate } from './device-seen';

const at = (id: string, ms: number, state: Partial<DeviceUpdate> = {}): DeviceUpdate => ({
  id,
  seen: new Date(ms),
  ...state,
});

describe(DeviceSeen.name, () => {
  it('writes a device new to the process, then holds last_seen moves under the resolution', () => {
    const s = new DeviceSeen(1000);
    const first = [at('a', 10_000)];
    expect(s.due(first)).toEqual(first);
    s.committed(first, first);

    const soon = [at('a', 10_400)];
    expect(s.due(soon)).toEqual([]);
    s.committed(soon, []);
    expect(s.pending()).toEqual([['a', 10_400]]);

    const later = [at('a', 11_000)];
    expect(s.due(later)).toEqual(later); // a second after the last write: written, and nothing held any more
    s.committed(later, later);
    expect(s.pending()).toEqual([]);
  });

  it('always writes reported state (status, battery, presence) at once', () => {
    const s = new DeviceSeen(1000);
    s.committed([at('a', 10_000)], [at('a', 10_000)]);
    const state = [
      at('a', 10_100, { status: 'low_battery' }),
      at('a', 10_200, { battery: 3 }),
      at('a', 10_300, { online: false }),
    ];
    expect(s.due(state)).toEqual(state);
  });

  it('keeps the latest held time, and forgets it once flushed or overtaken by a written one', () => {
    const s = new DeviceSeen(1000);
    s.committed([at('a', 10_000), at('b', 10_000)], [at('a', 10_000), at('b', 10_000)]);
    s.committed([at('a', 10_500), at('b', 10_200)], []);
    s.committed([at('a', 10_300)], []); // an older time never replaces a held later one
    expect(s.pending()).toEqual([
      ['a', 10_500],
      ['b', 10_200],
    ]);
    const flushing = s.pending();
    s.committed([at('b', 10_900)], []); // b moved on while the flush ran: still held after it
    s.flushed(flushing);
    expect(s.pending()).toEqual([['b', 10_900]]);
    const b = at('b', 12_000);
    s.committed([b], [b]);
    expect(s.holding).toBe(0);
  });

  it('does not count a write that was rolled back (committed() is only called after the commit)', () => {
    const s = new DeviceSeen(1000);
    const first = [at('a', 10_000)];
    expect(s.due(first)).toEqual(first); // the transaction failed: no committed() call
    expect(s.due([at('a', 10_100)])).toHaveLength(1); // so the retry writes the row again
  });

  it('hands out held values in id order, the order every writer locks device rows in', () => {
    const s = new DeviceSeen(1000);
    const first = [at('b', 10_000), at('a', 10_000), at('c', 10_000)];
    s.committed(first, first);
    s.committed([at('c', 10_100), at('a', 10_200), at('b', 10_300)], []);
    expect(s.pending().map(([id]) => id)).toEqual(['a', 'b', 'c']);
  });
});
