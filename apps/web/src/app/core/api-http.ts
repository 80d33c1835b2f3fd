import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, firstValueFrom } from 'rxjs';

import { API_PREFIX } from '@sensorhub/contracts';

import { toApiError } from './errors';

export const API_BASE = API_PREFIX;

/**
 * The HTTP plumbing every resource client shares: paths relative to the API prefix, promises instead of observables,
 * and every failure rejected as the API's error shape (see errors.ts).
 */
@Injectable({ providedIn: 'root' })
export class ApiHttp {
  private readonly http = inject(HttpClient);

  get<T>(path: string, params?: HttpParams): Promise<T> {
    return settle(this.http.get<T>(API_BASE + path, { params }));
  }
  /** a text body (CSV) */
  text(path: string, params?: HttpParams): Promise<string> {
    return settle(this.http.get(API_BASE + path, { params, responseType: 'text' }));
  }
  /** with credentials: the auth routes read and set the refresh cookie */
  post<T>(path: string, body: unknown): Promise<T> {
    return settle(this.http.post<T>(API_BASE + path, body, { withCredentials: true }));
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return settle(this.http.patch<T>(API_BASE + path, body));
  }
  delete(path: string): Promise<unknown> {
    return settle(this.http.delete(API_BASE + path));
  }
}

function settle<T>(o: Observable<T>): Promise<T> {
  return firstValueFrom(o).catch((err: unknown) => {
    throw toApiError(err);
  });
}

/** Query parameters from an object, leaving out the unset ones. */
export function query(o: Record<string, string | number | undefined | null | false>): HttpParams {
  const set = Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== false && v !== '');
  return new HttpParams({ fromObject: Object.fromEntries(set.map(([k, v]) => [k, String(v)])) });
}

/** ISO 8601 → epoch ms, keeping null */
export const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);
