import { OpenAPIObject } from '@nestjs/swagger';

import { ERROR_EXAMPLES } from '../error.dto';
import { CODE_BY_STATUS, ERROR_CODES, ErrorCode } from '../errors';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorDto' };
/** Routes that never touch the database (their own 503 aside). */
const NO_DATABASE = new Set(['/metrics', '/api/v1/health']);

type Responses = Record<string, { description: string; content?: Record<string, unknown> }>;

/**
 * Completes the generated document with what every route does beyond its decorators, so it describes the API
 * exactly: a 400 wherever a parameter or body can be invalid (including NUL characters and unreadable JSON), 413
 * and 415 wherever a body is read, 503 DATABASE_UNAVAILABLE wherever the database is used; and every error response
 * as application/json ErrorDto with one example per code its description names (else the status's default code).
 */
export function finishDocument(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = op.responses as Responses;
      if (op.parameters?.length || op.requestBody) responses['400'] ??= { description: 'VALIDATION_FAILED' };
      if (op.requestBody) {
        responses['413'] ??= { description: 'PAYLOAD_TOO_LARGE' };
        responses['415'] ??= { description: 'UNSUPPORTED_MEDIA_TYPE' };
      }
      if (!NO_DATABASE.has(path)) {
        const r503 = responses['503'];
        if (!r503) responses['503'] = { description: 'DATABASE_UNAVAILABLE (Retry-After)' };
        else if (!r503.description.includes('DATABASE_UNAVAILABLE'))
          r503.description += ' / DATABASE_UNAVAILABLE';
      }
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        const codes = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) =>
          response.description.includes(c),
        );
        const fallback = Number(status) === 500 ? 'INTERNAL_ERROR' : CODE_BY_STATUS[Number(status)];
        if (!codes.length && fallback) codes.push(fallback);
        response.content = {
          'application/json': {
            schema: ERROR_SCHEMA,
            examples: Object.fromEntries(
              codes.map((c) => [c, { summary: ERROR_CODES[c], value: ERROR_EXAMPLES[c] }]),
            ),
          },
        };
      }
    }
  }
  return doc;
}
