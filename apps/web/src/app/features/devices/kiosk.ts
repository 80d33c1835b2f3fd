/**
 * Kiosk mode for wall screens (`?kiosk=1` on the overview, a device page or compare): the page alone (the app hides
 * its top bar; pages hide editing and commands), read again every minute besides the live updates; the session is
 * kept by the sliding refresh.
 */
export const KIOSK_REFRESH_MS = 60_000;
/** the device page's auto-refresh choice that matches KIOSK_REFRESH_MS */
export const KIOSK_REFRESH = '1m';

export { isKiosk } from '../../core/kiosk.guard';
