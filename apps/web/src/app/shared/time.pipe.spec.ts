import { TimePipe } from './time.pipe';
import { formatTime } from '../core/format';

describe(TimePipe.name, () => {
  it('writes epoch ms and ISO times the one way, and a dash for none', () => {
    const pipe = new TimePipe();
    const t = Date.UTC(2026, 10, 29, 13, 5, 9);
    expect(pipe.transform(t)).toBe(formatTime(t));
    expect(pipe.transform(new Date(t).toISOString(), false)).toBe(formatTime(t, undefined, false));
    expect(pipe.transform(t)).toMatch(/^\d{1,2} Nov 2026, \d\d:05:09$/);
    expect([null, undefined, 'not a date'].map((v) => pipe.transform(v))).toEqual(['—', '—', '—']);
  });
});
