import compression from 'compression';
import { RequestHandler } from 'express';

/**
 * Brotli or gzip (as the client accepts) for responses of 1 KiB and more: API JSON, index.html, and the dashboard's
 * files that have no copy compressed at build time (serveSpa sends those copies, already encoded). The live stream stays uncompressed (a compressor would hold
 * events back): Nest sends it with `Cache-Control: no-transform`, which compression honours. Bodies already encoded
 * (the response cache's gzip) pass through as they are.
 */
export const compressResponses = (): RequestHandler => compression({ threshold: 1024 });
