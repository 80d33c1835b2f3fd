import { isDevicePage } from './page-code';

describe('isDevicePage', () => {
  it('knows a device page by its path, whatever the id', () => {
    for (const p of ['/devices/greenhouse-1', '/devices/wide-42/', '/devices/a_b-C9'])
      expect(isDevicePage(p)).toBe(true);
  });

  it('leaves the overview, compare and other pages alone', () => {
    for (const p of ['/', '/devices', '/devices/', '/devices/compare', '/alerts', '/devices/x/y', '/login'])
      expect(isDevicePage(p)).toBe(false);
  });
});
