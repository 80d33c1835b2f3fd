import {
  DEFAULT_RANGE,
  fromLocalInput,
  lastDayBefore,
  maxPointsFor,
  parseZoom,
  refreshMs,
  relativeLabel,
  relativeOf,
  relativeSpan,
  resolveRange,
  shiftRange,
  toLocalInput,
  zoomOutRange,
} from './range';

const H = 3_600_000;
const D = 86_400_000;

describe('resolveRange', () => {
  const now = Date.UTC(2026, 5, 1, 12);

  it('turns a relative range (now-7d) into a live range ending now', () => {
    expect(resolveRange({ range: 'now-7d' }, now)).toEqual({
      from: now - 7 * D,
      to: now,
      live: true,
      relative: 'now-7d',
    });
    expect(resolveRange({ range: 'now-90m' }, now)).toMatchObject({
      from: now - 90 * 60_000,
      relative: 'now-90m',
    });
  });

  it('reads links from before relative ranges (range=7d) as now-7d', () => {
    expect(resolveRange({ range: '7d' }, now)).toMatchObject({ from: now - 7 * D, relative: 'now-7d' });
  });

  it('prefers an explicit from–to, which is not live', () => {
    const r = resolveRange(
      { range: 'now-1h', from: '2026-05-01T00:00:00Z', to: '2026-05-02T00:00:00Z' },
      now,
    );
    expect(r).toEqual({ from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 4, 2), live: false, relative: null });
  });

  it('falls back to the default range for anything invalid', () => {
    for (const q of [
      {},
      { range: '2y' },
      { range: 'now-0d' },
      { range: 'now-400d' },
      { range: 'now+1h' },
      { from: 'x', to: 'y' },
      { from: '2026-05-02', to: '2026-05-01' },
    ]) {
      expect(resolveRange(q, now)).toMatchObject({ relative: DEFAULT_RANGE, from: now - D });
    }
  });

  it('says a relative range in words', () => {
    expect(['now-7d', 'now-1h', 'now-15m', 'bad'].map(relativeLabel)).toEqual([
      'Last 7 days',
      'Last 1 hour',
      'Last 15 minutes',
      'bad',
    ]);
    expect(relativeSpan(null)).toBeNull();
  });
});

describe('time picker moves', () => {
  const now = Date.UTC(2026, 5, 1, 12);

  it('shifts by half the span, never past now', () => {
    const r = { from: now - 4 * H, to: now - 2 * H };
    expect(shiftRange(r, -1, now)).toEqual({ from: now - 5 * H, to: now - 3 * H });
    expect(shiftRange(r, 1, now)).toEqual({ from: now - 3 * H, to: now - H });
    expect(shiftRange({ from: now - 2 * H, to: now }, 1, now)).toEqual({ from: now - 2 * H, to: now });
  });

  it('zooms out to twice the span: a relative range stays relative, an absolute one grows around its middle', () => {
    expect(zoomOutRange(resolveRange({ range: 'now-7d' }, now), now)).toEqual({ relative: 'now-14d' });
    expect(zoomOutRange(resolveRange({ range: 'now-90m' }, now), now)).toEqual({ relative: 'now-3h' });
    expect(zoomOutRange(resolveRange({ range: 'now-300d' }, now), now)).toEqual({ relative: 'now-366d' });
    const abs = { from: now - 10 * H, to: now - 8 * H, live: false, relative: null };
    expect(zoomOutRange(abs, now)).toEqual({ from: now - 11 * H, to: now - 7 * H });
    // near now it cannot grow forward: it grows back
    const recent = { from: now - 2 * H, to: now - H, live: false, relative: null };
    expect(zoomOutRange(recent, now)).toEqual({ from: now - 2.5 * H, to: now - 0.5 * H });
  });

  it("offers the day ending at a quiet device's last reading, only when the range starts after it", () => {
    const last = now - 3 * H + 12_345; // 09:00:12.345
    const day = lastDayBefore(last, { from: now - H });
    // up to the next whole minute: the reading itself is inside (the api's `to` is exclusive)
    expect(day).toEqual({ from: now - 3 * H + 60_000 - D, to: now - 3 * H + 60_000, last });
    expect(day!.to).toBeGreaterThan(last);
    expect(lastDayBefore(last, { from: now - 24 * H })).toBeNull();
    expect(lastDayBefore(null, { from: now - H })).toBeNull();
  });

  it('names a span in its largest whole unit', () => {
    expect([D, 36 * H, 45 * 60_000, 1234].map(relativeOf)).toEqual([
      'now-1d',
      'now-36h',
      'now-45m',
      'now-1m',
    ]);
  });

  it('knows the refresh intervals, and anything else is off', () => {
    expect(['10s', '30s', '1m', '5m', 'off', '7s', undefined].map((v) => refreshMs(v))).toEqual([
      10_000, 30_000, 60_000, 300_000, 0, 0, 0,
    ]);
  });

  it('reads a zoom window from the URL only when both ends are valid and in order', () => {
    expect(parseZoom('2026-05-01T00:00:00Z', '2026-05-01T06:00:00Z')).toEqual({
      start: Date.UTC(2026, 4, 1),
      end: Date.UTC(2026, 4, 1, 6),
    });
    expect(parseZoom('2026-05-01T06:00:00Z', '2026-05-01T00:00:00Z')).toBeNull();
    expect(parseZoom('x', undefined)).toBeNull();
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
