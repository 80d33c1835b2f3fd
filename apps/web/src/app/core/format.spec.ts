import {
  fileStamp,
  formatClock,
  formatDate,
  formatDay,
  formatMeasure,
  formatTime,
  formatValue,
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
});
