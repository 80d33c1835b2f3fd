import { THEME_KEY, chooseColorScheme, colorScheme, initColorScheme } from './theme';

/** A window whose system scheme the test sets and changes. */
function fakeWindow(systemDark: boolean) {
  const listeners: (() => void)[] = [];
  const media = {
    matches: systemDark,
    addEventListener: (_: string, fn: () => void) => listeners.push(fn),
  };
  const win = { matchMedia: () => media, document } as unknown as Window;
  return {
    win,
    setSystem(dark: boolean) {
      media.matches = dark;
      listeners.forEach((fn) => fn());
    },
  };
}

describe('color scheme', () => {
  afterEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset['theme'];
  });

  it("follows the system's scheme while the user has chosen none", () => {
    const sys = fakeWindow(true);
    initColorScheme(sys.win);
    expect(colorScheme()).toBe('dark');
    // the stylesheet follows the system by itself: no data-theme
    expect(document.documentElement.dataset['theme']).toBeUndefined();
    sys.setSystem(false);
    expect(colorScheme()).toBe('light');
  });

  it("keeps the user's choice across visits, over the system's", () => {
    const sys = fakeWindow(true);
    initColorScheme(sys.win);
    chooseColorScheme('light');
    expect(colorScheme()).toBe('light');
    expect(document.documentElement.dataset['theme']).toBe('light');
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
    sys.setSystem(true);
    expect(colorScheme()).toBe('light');

    // the next visit
    delete document.documentElement.dataset['theme'];
    initColorScheme(fakeWindow(true).win);
    expect(colorScheme()).toBe('light');
    expect(document.documentElement.dataset['theme']).toBe('light');
  });

  it('ignores a stored value it does not know', () => {
    localStorage.setItem(THEME_KEY, 'sepia');
    initColorScheme(fakeWindow(false).win);
    expect(colorScheme()).toBe('light');
    expect(document.documentElement.dataset['theme']).toBeUndefined();
  });
});
