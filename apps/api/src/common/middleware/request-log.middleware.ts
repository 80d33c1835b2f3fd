import { randomUUID } from 'node:crypto';

import { NextFunction, Request, Response } from 'express';

import { JsonLogger } from '../logging/json-logger';

/** A request id a proxy or client may pass on (X-Request-Id); anything else is replaced by our own. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id (X-Request-Id), set by requestLog: in the access line, the response header and error details. */
export const requestId = (req: Request): string | undefined => (req as Request & { id?: string }).id;

/** Where request durations go: the metrics feature's histogram (`MetricsService.httpDuration`) fits. */
export interface RequestDurations {
  observe(labels: { method: string; route: string; status: string }, seconds: number): void;
}

/**
 * Times every request into the duration histogram (labelled by route template, not raw path) and writes one JSON
 * access-log line: request id, method, path without query string (tickets live there), status, duration, principal.
 */
export function requestLog(durations: RequestDurations, logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    const incoming = req.get('x-request-id');
    const reqId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (req as Request & { id?: string }).id = reqId;
    res.setHeader('X-Request-Id', reqId);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      durations.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      const user = (req as Request & { user?: { kind: string; id: string } }).user;
      logger.log(
        {
          msg: 'request',
          reqId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
          principal: user ? `${user.kind}:${user.id}` : undefined,
        },
        'http',
      );
    });
    next();
  };
}
