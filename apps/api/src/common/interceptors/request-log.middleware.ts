import { NextFunction, Request, Response } from 'express';

import { MetricsService } from '../../metrics/metrics.service';
import { JsonLogger } from '../logging/json-logger';

/**
 * Times every request into the duration histogram (labelled by route template, not raw path) and writes one JSON
 * access-log line: method, path without query string (tickets live there), status, duration, principal id.
 */
export function requestLog(metrics: MetricsService, logger: JsonLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      const user = (req as Request & { user?: { kind: string; id: string } }).user;
      logger.log(
        {
          msg: 'request',
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
