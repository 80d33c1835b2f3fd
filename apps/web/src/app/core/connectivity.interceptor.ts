import { HttpErrorResponse, HttpInterceptorFn, HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';

import { API_BASE } from './api-http';
import { Connectivity, isUnreachable } from './connectivity';

/** Tells Connectivity whether each api request reached the api. */
export const connectivityInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(API_BASE)) return next(req);
  const connectivity = inject(Connectivity);
  return next(req).pipe(
    tap({
      next: (ev) => ev instanceof HttpResponse && connectivity.reached(),
      error: (e: unknown) => {
        if (!(e instanceof HttpErrorResponse)) return;
        if (isUnreachable(e.status)) connectivity.lost();
        else connectivity.reached();
      },
    }),
  );
};
