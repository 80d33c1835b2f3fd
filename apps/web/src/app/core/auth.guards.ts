import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { Role } from './api.types';
import { AuthService } from './auth.service';

/** Signed-in users only; others go to login and come back to the same URL (query included) afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  // no live access token (e.g. a reload after it expired): the refresh cookie may still hold a session
  if (auth.isLoggedIn() || (await auth.refresh()) === 'renewed') return true;
  const returnUrl = state.url;
  return router.createUrlTree(['/login'], {
    queryParams: returnUrl && returnUrl !== '/' ? { returnUrl } : {},
  });
};

/** Users with at least `role`; others land on the overview with a notice. */
export const roleGuard =
  (role: Role): CanActivateFn =>
  () =>
    inject(AuthService).can(role)
      ? true
      : inject(Router).createUrlTree(['/devices'], { queryParams: { denied: 1 } });
