import { DEFAULT_PRESET, fromLocalInput, maxPointsFor, resolveRange, toLocalInput } from './range';

describe('resolveRange', () => {
  const now = Date.UTC(2026, 5, 1, 12);

  it('turns a preset into a live range ending now', () => {
    expect(resolveRange({ range: '7d' }, now)).toEqual({
      from: now - 7 * 86_400_000,
      to: now,
      live: true,
      preset: '7d',
    });
  });

  it('prefers an explicit from–to, which is not live', () => {
    const r = resolveRange({ range: '1h', from: '2026-05-01T00:00:00Z', to: '2026-05-02T00:00:00Z' }, now);
    expect(r).toEqual({ from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 4, 2), live: false, preset: null });
  });

  it('falls back to the default preset for anything invalid', () => {
    for (const q of [{}, { range: '2y' }, { from: 'x', to: 'y' }, { from: '2026-05-02', to: '2026-05-01' }]) {
      expect(resolveRange(q, now).preset).toBe(DEFAULT_PRESET);
    }
  });
});

describe('datetime-local helpers', () => {
  it('round-trip a time in the browser zone to the minute', () => {
    const t = new Date(2026, 0, 15, 9, 30).getTime();
    expect(toLocalInput(t)).toBe('2026-01-15T09:30');
    expect(fromLocalInput(toLocalInput(t))).toBe(t);
    expect(fromLocalInput('')).toBeNaN();
  });

  it('asks for about one point per 2 px, within limits', () => {
    expect(maxPointsFor(1280)).toBe(640);
    expect(maxPointsFor(100)).toBe(100);
    expect(maxPointsFor(10_000)).toBe(2000);
  });
});
