import { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Routes that stream a body of another type (history import). A form cannot send these types without a preflight
 * either, and the route takes its credentials from headers only.
 */
const STREAMED_BODIES: Record<string, string[]> = {
  '/api/v1/readings/import': ['text/csv', 'application/x-ndjson', 'application/ndjson'],
};

/**
 * 415 for an API request body that is not JSON. A cross-site HTML form can post urlencoded, multipart or text/plain
 * without a CORS preflight; JSON needs one, so only accepting JSON keeps forms of other sites off every route.
 */
export function jsonBodiesOnly(isApi: (path: string) => boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (
      !BODY_METHODS.has(req.method) ||
      !hasBody ||
      !isApi(req.path) ||
      req.is(['application/json', '+json']) ||
      (STREAMED_BODIES[req.path] && req.is(STREAMED_BODIES[req.path]))
    ) {
      return next();
    }
    res.status(415).json({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'request bodies must be JSON (Content-Type: application/json)',
    });
  };
}

/**
 * Security headers on every response (dashboard, Swagger UI, API): a CSP that the Angular build and Swagger UI work
 * under (scripts only from this origin; inline styles, which both inject; images also as data: URIs), nosniff,
 * frame-ancestors 'none', no referrer. HSTS only on HTTPS requests (behind a TLS proxy with TRUST_PROXY set).
 */
export function securityHeaders(hstsMaxAge: number): RequestHandler[] {
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        // the API may be reached over plain HTTP on a LAN; upgrading would break it
        'upgrade-insecure-requests': null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: hstsMaxAge, includeSubDomains: true });
  const onHttps: RequestHandler = (req, res, next) =>
    hstsMaxAge > 0 && req.secure ? hsts(req, res, next) : next();
  return [base, onHttps];
}
