import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorDto } from '../error.dto';

/** The codes each status can carry, named in the description (the document builder adds one example per code). */
const BY_STATUS = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  503: 'BROKER_UNAVAILABLE / DATABASE_UNAVAILABLE',
};

/**
 * Documents the route-specific error responses (401/403/429/500 come with @Roles/@Public; 400, 413, 415 and 503
 * DATABASE_UNAVAILABLE are added where they apply by buildOpenApi). `extra` names further codes, e.g. INVALID_PACKET.
 */
export const ApiErrors = (...statuses: (keyof typeof BY_STATUS | { status: 400; codes: string })[]) =>
  applyDecorators(
    ...statuses.map((s) =>
      typeof s === 'object'
        ? ApiResponse({ status: s.status, type: ErrorDto, description: s.codes })
        : ApiResponse({ status: s, type: ErrorDto, description: BY_STATUS[s] }),
    ),
  );
