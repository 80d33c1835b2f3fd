import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsOptional, ValidateIf } from 'class-validator';

import {
  DEVICE_ID_PATTERN,
  INSTANT_PATTERN,
  INSTANT_RULE,
  METRIC_PATTERN,
  parseInstant,
} from '@sensorhub/domain';

/** The wire contract's patterns as OpenAPI strings (the RegExp sources without flags). */
export const DEVICE_ID_SCHEMA = { type: 'string', pattern: DEVICE_ID_PATTERN.source } as const;
export const METRIC_SCHEMA = { type: 'string', pattern: METRIC_PATTERN.source } as const;
export const INSTANT_SCHEMA = { type: 'string', format: 'date-time', pattern: INSTANT_PATTERN } as const;

/**
 * Optional, but not nullable: skips validation only when the property is absent, so `{"role": null}` is validated
 * (and refused) instead of reaching the database as NULL. class-validator's IsOptional lets null through.
 */
export const Optional = () => ValidateIf((_o: object, v: unknown) => v !== undefined);

/** An optional query time: ISO 8601 with zone only (the one time rule, @sensorhub/domain parseInstant), as a Date. */
export function InstantQuery(field: string, description: string) {
  return applyDecorators(
    ApiPropertyOptional({ ...INSTANT_SCHEMA, description: `${description}; ${INSTANT_RULE}` }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      const ms = parseInstant(value);
      return ms === null ? value : new Date(ms);
    }),
    IsDate({ message: `${field} must be ${INSTANT_RULE}` }),
  );
}
