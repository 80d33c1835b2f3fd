import { ReadingRow } from '@sensorhub/domain';

import { ReceiptStamps } from './ingest.service';

const ms = Date.UTC(2026, 0, 15, 10, 0, 0, 123);
const stamped = (metric = 't'): ReadingRow => ({ deviceId: 'd1', metric, ts: new Date(ms), value: 1 });

describe(ReceiptStamps.name, () => {
  it('gives readings of one device and metric received in the same millisecond distinct, ordered microseconds', () => {
    const stamps = new ReceiptStamps();
    const burst = Array.from({ length: 50 }, () => stamped());
    for (const r of burst) stamps.assign([r]);
    const micros = burst.map((r) => r.ts.getTime() * 1000 + (r.us ?? 0));
    expect(new Set(micros).size).toBe(50);
    expect(micros).toEqual([...micros].sort((a, b) => a - b));
    expect(micros[0]).toBe(ms * 1000);
  });

  it('leaves other metrics and later milliseconds at their time of receipt', () => {
    const stamps = new ReceiptStamps();
    const [a, b] = [stamped('t'), stamped('h')];
    stamps.assign([a, b]);
    expect([a.us, b.us]).toEqual([undefined, undefined]);
    const later: ReadingRow = { ...stamped(), ts: new Date(ms + 1) };
    stamps.assign([later]);
    expect(later.ts.getTime()).toBe(ms + 1);
    expect(later.us).toBeUndefined();
  });
});
