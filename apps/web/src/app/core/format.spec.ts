import {
  fileStamp,
  formatClock,
  formatDate,
  formatDay,
  formatMeasure,
  formatTime,
  formatValue,
  isMidnight,
  pageLocale,
  usePageLocale,
} from './format';

describe('format (one way to write dates and numbers)', () => {
  const t = Date.UTC(2026, 10, 29, 1, 30, 26);

  it('writes dates in British English, 24-hour, in the given zone', () => {
    expect(formatTime(t, 'Europe/Berlin')).toBe('29 Nov 2026, 02:30:26');
    expect(formatTime(t, 'Europe/Berlin', false)).toBe('29 Nov 2026, 02:30');
    expect(formatClock(t, 'Europe/Berlin')).toBe('02:30');
    expect(formatClock(t, 'Europe/Berlin', true)).toBe('02:30:26');
    expect(formatDay(t, 'Europe/Berlin')).toBe('29 Nov');
    expect(formatDate(t, 'Europe/Berlin')).toBe('29 Nov 2026');
  });

  it('stamps file names with the local time, without colons', () => {
    expect(fileStamp(t, 'Europe/Berlin')).toBe('2026-11-29T0230');
    expect(fileStamp(t, 'UTC')).toBe('2026-11-29T0130');
  });

  it('writes values at the catalog’s decimals or at a precision that suits their size, with the unit', () => {
    expect(formatValue(-19.04, 1)).toBe('-19.0');
    expect([1234.5, 123.45, 1.2345].map((v) => formatValue(v))).toEqual(['1,235', '123.5', '1.23']);
    expect(formatMeasure(-67, 'dBm')).toBe('-67 dBm');
    expect(formatMeasure(3)).toBe('3');
  });

  describe('in the browser’s language', () => {
    afterEach(() => usePageLocale(undefined));

    it('writes a US browser’s dates month first with a 12-hour clock, as its date-time fields do', () => {
      expect(usePageLocale(['en-US', 'en'])).toBe('en-US');
      expect(formatTime(t, 'Europe/Berlin')).toBe('Nov 29, 2026, 02:30:26 AM');
      expect(formatClock(t, 'Europe/Berlin')).toBe('02:30 AM');
      expect(formatDate(t, 'Europe/Berlin')).toBe('Nov 29, 2026');
    });

    it('keeps file names and the axis’ day marks 24-hour in any language', () => {
      usePageLocale(['en-US']);
      expect(fileStamp(Date.UTC(2026, 10, 29, 13, 5), 'UTC')).toBe('2026-11-29T1305');
      expect(isMidnight(Date.UTC(2026, 10, 28, 23), 'Europe/Berlin')).toBe(true);
      expect(isMidnight(t, 'Europe/Berlin')).toBe(false);
    });

    it('falls back to British English for no language, one Intl lacks or a malformed tag', () => {
      for (const langs of [undefined, [], ['xx-YY'], ['not a tag']]) {
        usePageLocale(['en-US']);
        expect(usePageLocale(langs)).toBe('en-GB');
        expect(formatTime(t, 'Europe/Berlin', false)).toBe('29 Nov 2026, 02:30');
      }
      expect(pageLocale()).toBe('en-GB');
    });
  });
});
