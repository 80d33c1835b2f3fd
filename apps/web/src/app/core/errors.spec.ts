import { HttpErrorResponse } from '@angular/common/http';

import { useClient } from '../../testing/page-testing';
import { ApiHttp } from './api-http';
import { UNREACHABLE, errorMessage, isApiError, toApiError } from './errors';

const httpError = (status: number, error: unknown = null, statusText = '') =>
  new HttpErrorResponse({ status, error, statusText });

describe('errors', () => {
  describe(toApiError.name, () => {
    const t = useClient(ApiHttp);

    it("rejects every request with the API's error shape: its own body, a bare status, or an unreachable server", async () => {
      const a = t.api.get('/devices/x');
      t.http
        .expectOne('/api/v1/devices/x')
        .flush(
          { statusCode: 404, code: 'NOT_FOUND', message: 'no such device' },
          { status: 404, statusText: 'Not Found' },
        );
      await expect(a).rejects.toEqual({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'no such device',
        details: undefined,
      });

      const b = t.api.post('/users', {});
      t.http
        .expectOne('/api/v1/users')
        .flush('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' });
      await expect(b).rejects.toEqual({
        statusCode: 502,
        code: 'HTTP_502',
        message: 'The server had a problem (HTTP 502) — try again in a moment.',
      });

      const c = t.api.delete('/api-keys/k1');
      t.http.expectOne('/api/v1/api-keys/k1').error(new ProgressEvent('error'), { status: 0 });
      await expect(c).rejects.toEqual({ statusCode: 0, code: 'NETWORK', message: UNREACHABLE });

      // fetch reports an unreachable server as a TypeError: its "Failed to fetch" is no message for a person
      const d = t.api.get('/users');
      t.http.expectOne('/api/v1/users').error(new TypeError('Failed to fetch') as never, { status: 0 });
      await expect(d).rejects.toEqual({ statusCode: 0, code: 'NETWORK', message: UNREACHABLE });
    });

    it('keeps an error already in that shape, and names anything else thrown', () => {
      const shaped = { statusCode: 409, code: 'CONFLICT', message: 'taken' };
      expect(toApiError(shaped)).toBe(shaped);
      expect(toApiError(new Error('boom'))).toEqual({ statusCode: 0, code: 'UNKNOWN', message: 'boom' });
      expect(toApiError('plain')).toEqual({ statusCode: 0, code: 'UNKNOWN', message: 'plain' });
      expect(isApiError(null)).toBe(false);
      expect(isApiError({ message: 'no status' })).toBe(false);
    });
  });

  describe(errorMessage.name, () => {
    it("shows the API's message, followed by every other field it refused", () => {
      expect(
        errorMessage(toApiError(httpError(409, { statusCode: 409, code: 'CONFLICT', message: 'taken' }))),
      ).toBe('taken');
      const invalid = httpError(400, {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'email must be an email',
        details: [
          { field: 'email', errors: ['email must be an email'] },
          { field: 'password', errors: ['password is too short', 'password must be a string'] },
          { field: 'odd' },
        ],
      });
      expect(errorMessage(invalid)).toBe(
        'email must be an email; password is too short; password must be a string',
      );
      // details that are not a field list (INTERNAL_ERROR's correlation id) add nothing
      expect(
        errorMessage({
          statusCode: 500,
          code: 'INTERNAL_ERROR',
          message: 'unexpected',
          details: { correlationId: 'c' },
        }),
      ).toBe('unexpected');
    });

    it('says the server cannot be reached when nothing answered', () => {
      expect(errorMessage(httpError(0))).toBe('The server cannot be reached — retrying');
      expect(errorMessage(toApiError(httpError(0)))).toBe(UNREACHABLE);
    });

    it.each([
      [401, 'You are not signed in, or your session has ended — sign in again.'],
      [403, 'You do not have permission to do this.'],
      [404, 'Not found — it may have been deleted or renamed.'],
      [413, 'The request is too large.'],
      [429, 'Too many requests — wait a moment and try again.'],
      [500, 'The server had a problem (HTTP 500) — try again in a moment.'],
      [503, 'The server had a problem (HTTP 503) — try again in a moment.'],
      [418, 'The request failed (HTTP 418).'],
    ])('explains a bare %i in a sentence', (status, sentence) => {
      expect(errorMessage(httpError(status, '<html>proxy page</html>', 'Whatever'))).toBe(sentence);
      expect(errorMessage(toApiError(httpError(status)))).toBe(sentence);
      expect(errorMessage({ statusCode: status, code: `HTTP_${status}`, message: '' })).toBe(sentence);
    });

    it("reads the cause a resource wraps, and never shows '[object Object]'", () => {
      const cause = { statusCode: 404, code: 'NOT_FOUND', message: 'device gh-9 not found' };
      expect(
        errorMessage(new Error('Resource returned an error that is not an Error instance', { cause })),
      ).toBe('device gh-9 not found');
      expect(errorMessage(new Error('boom'))).toBe('boom');
      expect(errorMessage(new Error(''))).toBe('Something went wrong.');
      expect(errorMessage('timed out')).toBe('timed out');
      for (const odd of [{}, { message: 42 }, null, undefined, 7])
        expect(errorMessage(odd)).toBe('Something went wrong.');
    });
  });
});
