import { HttpErrorResponse } from '@angular/common/http';

import { ErrorResponse, FieldError } from '@sensorhub/contracts';

import { ApiError } from './api.types';

/** Shown for status 0: the request never got an answer (server down, network gone, CORS). */
export const UNREACHABLE = 'The server cannot be reached — retrying';

/** Clear sentences for statuses whose body is not the API's own (a proxy's page, an empty body). */
const BY_STATUS: Record<number, string> = {
  401: 'You are not signed in, or your session has ended — sign in again.',
  403: 'You do not have permission to do this.',
  404: 'Not found — it may have been deleted or renamed.',
  413: 'The request is too large.',
  429: 'Too many requests — wait a moment and try again.',
};

/** Normalises an HTTP failure to the API's error shape (network errors get code NETWORK). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof HttpErrorResponse) {
    // no answer at all: fetch's own TypeError ("Failed to fetch") is no message for a person
    if (err.status === 0) return { statusCode: 0, code: 'NETWORK', message: UNREACHABLE };
    const body = err.error as Partial<ErrorResponse> | null;
    if (body && typeof body === 'object' && typeof body.message === 'string') {
      return {
        statusCode: err.status,
        code: body.code ?? `HTTP_${err.status}`,
        message: body.message,
        details: body.details,
      };
    }
    return { statusCode: err.status, code: `HTTP_${err.status}`, message: statusMessage(err.status) };
  }
  if (isApiError(err)) return err;
  return { statusCode: 0, code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
}

export function isApiError(e: unknown): e is ApiError {
  return !!e && typeof e === 'object' && 'statusCode' in e && 'code' in e && 'message' in e;
}

/**
 * THE message to show for any failure: the API's own message plus every field it refused, or a clear sentence for
 * a bare status, an unreachable server or anything else thrown. A `resource()` whose loader rejects with something
 * that is not an Error wraps it (Angular's "not an Error instance" text): the cause is what happened.
 */
export function errorMessage(e: unknown): string {
  const err = e instanceof Error && e.cause !== undefined ? e.cause : e;
  if (err instanceof HttpErrorResponse || isApiError(err)) {
    const api = toApiError(err);
    if (api.statusCode === 0 && api.code === 'NETWORK') return UNREACHABLE;
    return withFields(api.message || statusMessage(api.statusCode), api.details);
  }
  if (err instanceof Error) return err.message || 'Something went wrong.';
  if (typeof err === 'string' && err) return err;
  return 'Something went wrong.';
}

function statusMessage(status: number): string {
  if (BY_STATUS[status]) return BY_STATUS[status];
  if (status >= 500) return `The server had a problem (HTTP ${status}) — try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/** A validation failure's message names its first problem; the others follow, each once. */
function withFields(message: string, details: unknown): string {
  if (!Array.isArray(details)) return message;
  const all = (details as Partial<FieldError>[]).flatMap((d) =>
    Array.isArray(d.errors) ? d.errors.map(String) : [],
  );
  const rest = [...new Set(all)].filter((m) => m !== message);
  return rest.length ? `${message}; ${rest.join('; ')}` : message;
}
