import { ArgumentsHost } from '@nestjs/common';

import { JsonLogger } from '../logging/json-logger';
import { AllExceptionsFilter, isDatabaseUnreachable } from './all-exceptions.filter';

describe(AllExceptionsFilter.name, () => {
  it('turns an unknown error into a 500 INTERNAL_ERROR with a correlation id that is logged with the stack', () => {
    const logged: unknown[][] = [];
    const logger = { error: (...a: unknown[]) => logged.push(a) } as unknown as JsonLogger;
    let status = 0;
    let body: Record<string, unknown> = {};
    const res = {
      headersSent: false,
      setHeader: () => undefined,
      status: (s: number) => ((status = s), res),
      json: (b: Record<string, unknown>) => (body = b),
    };
    const host = {
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', path: '/x' }) }),
    } as unknown as ArgumentsHost;
    new AllExceptionsFilter(logger).catch(new Error('db exploded'), host);
    expect(status).toBe(500);
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'internal error',
      details: { correlationId: expect.any(String) },
    });
    expect(JSON.stringify(logged)).toContain((body.details as { correlationId: string }).correlationId);
    expect(JSON.stringify(logged)).toContain('db exploded');
  });
});

describe(isDatabaseUnreachable.name, () => {
  const withCode = (message: string, code?: string) => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['an administrator shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['a broken connection (SQLSTATE 08006)', withCode('connection failure', '08006')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a TypeORM wrapper',
      Object.assign(new Error('query failed'), {
        driverError: { code: '57P03', message: 'the database system is starting up' },
      }),
    ],
    ['passport’s re-wrapped error', new Error('Error: connect ECONNREFUSED 127.0.0.1:5432')],
  ])('is true for %s', (_what, err) => expect(isDatabaseUnreachable(err)).toBe(true));

  it.each([
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
  ])('is false for %s', (_what, err) => expect(isDatabaseUnreachable(err)).toBe(false));
});
