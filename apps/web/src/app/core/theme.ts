import { signal } from '@angular/core';

export type ColorScheme = 'light' | 'dark';

/** localStorage key of the scheme the user chose with the toggle (absent: the system's) */
export const THEME_KEY = 'sensorhub.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

const scheme = signal<ColorScheme>('light');
let chosen: ColorScheme | null = null;

/**
 * The scheme the page is drawn in. The stylesheet follows it by itself (tokens.css); code that turns tokens into
 * canvas colours (the charts' palette) reads this signal, so whatever builds chart options builds them again when it
 * changes.
 */
export const colorScheme = scheme.asReadonly();

function stored(): ColorScheme | null {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null; // storage blocked: the system's scheme
  }
}

/**
 * Once, before the app starts: the user's stored choice (as data-theme on <html>), else the system's scheme, which
 * is then followed while the page is open.
 */
export function initColorScheme(win: Window = window): void {
  chosen = stored();
  const media = win.matchMedia?.(DARK_QUERY);
  const system = (): ColorScheme => (media?.matches ? 'dark' : 'light');
  if (chosen) win.document.documentElement.dataset['theme'] = chosen;
  scheme.set(chosen ?? system());
  media?.addEventListener?.('change', () => {
    if (!chosen) scheme.set(system());
  });
}

/** The user's choice: applied at once and kept for the next visits. */
export function chooseColorScheme(next: ColorScheme, doc: Document = document): void {
  chosen = next;
  doc.documentElement.dataset['theme'] = next;
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // storage blocked: the choice lasts for this page
  }
  scheme.set(next);
}
