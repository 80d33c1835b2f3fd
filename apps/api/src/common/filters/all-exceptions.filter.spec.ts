import { ArgumentsHost } from '@nestjs/common';

import { JsonLogger } from '../logging/json-logger';
import { AllExceptionsFilter } from './all-exceptions.filter';

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
