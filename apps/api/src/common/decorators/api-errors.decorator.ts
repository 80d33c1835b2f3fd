import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';

import { ErrorDto } from '../error.dto';

const BY_STATUS = {
  400: () => ApiBadRequestResponse({ type: ErrorDto, description: 'VALIDATION_FAILED' }),
  404: () => ApiNotFoundResponse({ type: ErrorDto, description: 'NOT_FOUND' }),
  409: () => ApiConflictResponse({ type: ErrorDto, description: 'CONFLICT' }),
  503: () =>
    ApiServiceUnavailableResponse({
      type: ErrorDto,
      description: 'BROKER_UNAVAILABLE / SERVICE_UNAVAILABLE',
    }),
};

/** Documents the route-specific error responses (401/403/429/500 come with @Roles/@Public). */
export const ApiErrors = (...statuses: (keyof typeof BY_STATUS)[]) =>
  applyDecorators(...statuses.map((s) => BY_STATUS[s]()));
