import compression from 'compression';
import { RequestHandler } from 'express';

/**
 * Brotli or gzip (as the client accepts) for responses of 1 KiB and more: the dashboard's files (the charts chunk is
 * 556 KiB raw, about a fifth compressed) and API JSON. The live stream stays uncompressed (a compressor would hold
 * events back): Nest sends it with `Cache-Control: no-transform`, which compression honours. Bodies already encoded
 * (the response cache's gzip) pass through as they are.
 */
export const compressResponses = (): RequestHandler => compression({ threshold: 1024 });
