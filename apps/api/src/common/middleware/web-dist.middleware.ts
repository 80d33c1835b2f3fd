import * as fs from 'node:fs';
import * as path from 'node:path';

import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

import { JsonLogger } from '../logging/json-logger';

/**
 * Angular's output names carry a content hash: esbuild's (`main-5WQFEXTB.js`, `styles-…`, `media/…`) and, for the
 * chunks the build merges (NG_BUILD_OPTIMIZE_CHUNKS), rolldown's (`chunk-Bp4yUZL_.js`); `.br`/`.gz`: their
 * compressed copies.
 */
const HASHED = /-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.br|\.gz)?$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The built SPA at / with index.html for client-side routes; `isApi` paths stay the API's. Hashed files are cached
 * for a year (a new build has new names); index.html and the unhashed files (favicon, robots.txt) are revalidated on
 * every use (no-cache: ETag/Last-Modified make that a 304), so a deployment shows at the next load. A file's `.br` or
 * `.gz` copy written at build time (`precompressDashboard`, brotli at its best quality) is sent as it is when the
 * browser accepts it; a file without one is compressed per request by `compressResponses`.
 */
export function serveSpa(
  app: NestExpressApplication,
  dir: string,
  isApi: (p: string) => boolean,
  logger: JsonLogger,
): void {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    logger.warn({ msg: 'WEB_DIST has no index.html; not serving the dashboard', dir }, 'bootstrap');
    return;
  }
  const assets = expressStaticGzip(dir, {
    index: false,
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    serveStatic: {
      index: false,
      setHeaders: (res, file) => res.setHeader('Cache-Control', HASHED.test(file) ? IMMUTABLE : 'no-cache'),
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    isApi(req.path) ? next() : assets(req, res, next),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || isApi(req.path) || !req.accepts('html')) return next();
    res.sendFile(index, { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } });
  });
}
