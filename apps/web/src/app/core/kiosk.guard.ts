import { inject } from '@angular/core';
import { CanActivateFn, RedirectCommand, Router } from '@angular/router';

/** the query parameter that makes any page a wall screen (`?kiosk=1`) */
export const KIOSK_PARAM = 'kiosk';

/** a `kiosk` query value that turns kiosk on */
export const isKiosk = (v: string | null | undefined): boolean => v === '1';

/** whether the app URL `url` shows a wall screen */
export const inKiosk = (url: string, router: Router): boolean =>
  isKiosk(router.parseUrl(url).queryParams[KIOSK_PARAM]);

/**
 * Kiosk stays on while the wall screen navigates within the app (a card to its device page, a page changing its own
 * query): a navigation from a `?kiosk=1` URL to one without it goes to the same URL with `kiosk=1`, so the address
 * and the history keep it too. The screen leaves kiosk by the browser's back/forward to a URL without it, or by
 * loading such a URL.
 */
export const keepKioskGuard: CanActivateFn = (_route, state) => {
  const router = inject(Router);
  const nav = router.currentNavigation();
  if (
    isKiosk(state.root.queryParams[KIOSK_PARAM]) ||
    nav?.trigger === 'popstate' ||
    !inKiosk(router.url, router)
  )
    return true;
  const next = router.parseUrl(state.url);
  next.queryParams = { ...next.queryParams, [KIOSK_PARAM]: '1' };
  return new RedirectCommand(next, { replaceUrl: nav?.extras.replaceUrl, state: nav?.extras.state });
};
