import { INSTANT_PATTERN, instantFromEpochMs, parseInstant } from './instant';

describe(parseInstant.name, () => {
  it('reads ISO 8601 with Z or an offset, with or without seconds and fractions', () => {
    expect(parseInstant('2026-01-15T10:30:00Z')).toBe(Date.UTC(2026, 0, 15, 10, 30));
    expect(parseInstant('2026-01-15T10:30Z')).toBe(Date.UTC(2026, 0, 15, 10, 30));
    expect(parseInstant('2026-01-15T12:30:00.250+02:00')).toBe(Date.UTC(2026, 0, 15, 10, 30, 0, 250));
    expect(parseInstant('2026-01-15T05:00:00.123456789-0530')).toBe(Date.UTC(2026, 0, 15, 10, 30, 0, 123));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('takes years 0100-9999 and refuses 0000-0099 (Date.UTC would move them to the 1900s)', () => {
    expect(new Date(parseInstant('0100-06-01T00:00:00Z')!).toISOString()).toBe('0100-06-01T00:00:00.000Z');
    expect(parseInstant('0050-06-01T00:00:00Z')).toBeNull();
  });

  it.each([
    ["' OR '1'='1"],
    ['foo 12'],
    ['12'],
    ['2026-02-31T00:00:00Z'],
    ['2025-02-29T00:00:00Z'],
    ['2026-13-01T00:00:00Z'],
    ['2026-01-15T24:00:00Z'],
    ['2026-01-15T10:60:00Z'],
    ['2026-01-15T10:30:60Z'],
    ['2026-01-15T10:30:00'],
    ['2026-01-15'],
    ['2026-01-15 10:30:00Z'],
    ['2026-01-15t10:30:00z'],
    ['-271821-04-20T00:00:00Z'],
    ['+275760-09-13T00:00:00Z'],
    ['0100-01-01T00:00:00+00:01'],
    ['2026-01-15T10:30:00+15:00'],
    ['2026-01-15T10:30:00Z\u0000'],
    [''],
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it('agrees with its documented pattern: whatever it reads matches INSTANT_PATTERN', () => {
    const re = new RegExp(INSTANT_PATTERN);
    for (const t of ['2026-01-15T10:30:00Z', '2026-01-15T10:30+0200', '9999-12-31T23:59:59.999999999Z']) {
      expect(parseInstant(t)).not.toBeNull();
      expect(re.test(t)).toBe(true);
    }
  });
});

describe(instantFromEpochMs.name, () => {
  it('takes integers within the years 0000-9999 only', () => {
    expect(instantFromEpochMs(1_768_473_000_000)).toBe(1_768_473_000_000);
    expect(instantFromEpochMs(8.64e15)).toBeNull();
    expect(instantFromEpochMs(1.5)).toBeNull();
    expect(instantFromEpochMs(Number.NaN)).toBeNull();
  });
});
