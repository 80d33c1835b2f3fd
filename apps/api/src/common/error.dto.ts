import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ERROR_CODES, ErrorCode } from './errors';

export class ErrorDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ enum: Object.keys(ERROR_CODES), example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  @ApiProperty({ example: 'maxPoints must not be greater than 10000' })
  message: string;

  @ApiPropertyOptional({
    description: 'per-code extra data: invalid fields, correlationId, …',
    type: 'object',
    additionalProperties: true,
  })
  details?: unknown;
}
