import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';

import { API_BASE } from './api-http';
import { AuthService } from './auth.service';

const withToken = (req: HttpRequest<unknown>, token: string | null) =>
  token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;

/** Adds the bearer token to API calls; on 401 renews once and retries; ends the session when renewal is refused. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(API_BASE)) return next(req);
  const auth = inject(AuthService);
  const isAuthCall = /\/auth\/(login|refresh|logout)$/.test(req.url);
  if (isAuthCall) return next(req);

  return next(withToken(req, auth.token())).pipe(
    catchError((err: unknown) => {
      if (!(err instanceof HttpErrorResponse) || err.status !== 401) return throwError(() => err);
      return from(auth.refresh()).pipe(
        switchMap((outcome) => {
          if (outcome === 'renewed') return next(withToken(req, auth.token()));
          // the server could not renew now (unreachable, 429): keep the session, fail this request only
          if (outcome === 'ended') auth.expire();
          return throwError(() => err);
        }),
      );
    }),
  );
};
