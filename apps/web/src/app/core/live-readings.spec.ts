import { DeviceSummary } from './api.types';
import { applyLiveReadings } from './live-readings';

describe(applyLiveReadings.name, () => {
  const t0 = Date.UTC(2026, 0, 15, 10, 0);
  const iso = (t: number) => new Date(t).toISOString();
  const device = (id: string, metrics: DeviceSummary['metrics'] = []): DeviceSummary => ({
    id,
    name: null,
    location: null,
    lastSeen: t0,
    online: true,
    status: null,
    battery: null,
    metrics,
  });

  it('shows the newest value per metric, in name order, and moves lastSeen forward', () => {
    const gh = device('gh-1', [{ metric: 'temperature', value: 20, ts: t0 }]);
    const [next] = applyLiveReadings(
      [gh],
      [
        { deviceId: 'gh-1', metric: 'temperature', ts: iso(t0 + 2000), value: 23 },
        { deviceId: 'gh-1', metric: 'humidity', ts: iso(t0 + 1000), value: 41 },
        { deviceId: 'gh-1', metric: 'temperature', ts: iso(t0 + 1000), value: 22 }, // older than 23: ignored
      ],
    );
    expect(next.metrics).toEqual([
      { metric: 'humidity', value: 41, ts: t0 + 1000 },
      { metric: 'temperature', value: 23, ts: t0 + 2000 },
    ]);
    expect(next.lastSeen).toBe(t0 + 2000);
  });

  it('keeps a value that is newer than a late reading, and lastSeen where it was', () => {
    const gh = device('gh-1', [{ metric: 'co2', value: 410, ts: t0 }]);
    const [next] = applyLiveReadings(
      [gh],
      [{ deviceId: 'gh-1', metric: 'co2', ts: iso(t0 - 60_000), value: 1 }],
    );
    expect(next.metrics).toEqual([{ metric: 'co2', value: 410, ts: t0 }]);
    expect(next.lastSeen).toBe(t0);
  });

  it('leaves devices the batch does not mention untouched, and the list itself when it mentions none', () => {
    const list = [device('gh-1'), device('ws-2')];
    expect(applyLiveReadings(list, [{ deviceId: 'other', metric: 'co2', ts: iso(t0), value: 1 }])).toBe(list);
    const next = applyLiveReadings(list, [{ deviceId: 'ws-2', metric: 'co2', ts: iso(t0 + 1), value: 1 }]);
    expect(next).not.toBe(list);
    expect(next[0]).toBe(list[0]);
    expect(next[1].metrics).toEqual([{ metric: 'co2', value: 1, ts: t0 + 1 }]);
  });
});
