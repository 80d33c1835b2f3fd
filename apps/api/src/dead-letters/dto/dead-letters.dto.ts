import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { DEAD_LETTER_REASONS, DeadLetterReason, DEVICE_ID_PATTERN } from '@sensorhub/domain';

import { DEVICE_ID_SCHEMA, InstantQuery } from '../../common/validation/validators';
import { PayloadEncoding } from '../payload-view';

const REASONS = Object.values(DEAD_LETTER_REASONS);

export class DeadLetterFilterDto {
  @ApiPropertyOptional({ enum: REASONS, description: 'only this reason code' })
  @IsOptional()
  @IsIn(REASONS, { message: `reason must be one of ${REASONS.join(', ')}` })
  reason?: DeadLetterReason;

  @ApiPropertyOptional({
    ...DEVICE_ID_SCHEMA,
    description: 'only messages on devices/{device}/…',
    example: 'greenhouse-1',
  })
  @IsOptional()
  @IsString()
  @Matches(DEVICE_ID_PATTERN, { message: 'device must be 1-64 of [A-Za-z0-9_-]' })
  device?: string;

  @InstantQuery('from', 'received at or after')
  from?: Date;

  @InstantQuery('to', 'received before, exclusive')
  to?: Date;
}

export class DeadLettersQueryDto extends DeadLetterFilterDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

export class DeadLetterDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ example: 'devices/greenhouse-1/temperature' }) topic: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the {id} of a devices/{id}/… topic, else null',
  })
  deviceId: string | null;
  @ApiProperty({ enum: REASONS }) reason: DeadLetterReason;
  @ApiProperty({ example: 'value 900 is outside temperature bounds [-80, 150]' }) detail: string;
  @ApiProperty() receivedAt: Date;
  @ApiProperty({ description: 'the stored payload: as text when payloadEncoding is utf8, else base64' })
  payload: string;
  @ApiProperty({
    enum: ['utf8', 'base64'],
    description: 'utf8 when the payload is valid UTF-8 without control characters other than tab, LF and CR',
  })
  payloadEncoding: PayloadEncoding;
  @ApiProperty({ description: 'size in bytes of the payload as received' }) payloadSize: number;
  @ApiProperty({ description: 'true when the stored payload was cut to 16 KiB (it cannot be replayed)' })
  truncated: boolean;
  @ApiProperty({ type: Date, nullable: true, description: 'last replay, if any' }) replayedAt: Date | null;
  @ApiProperty() replayCount: number;
}

export class DeadLettersDto {
  @ApiProperty({ description: 'dead letters matching the filters' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [DeadLetterDto], description: 'newest first' }) items: DeadLetterDto[];
}

export class ReasonCountDto {
  @ApiProperty({ enum: REASONS }) reason: DeadLetterReason;
  @ApiProperty() count: number;
}

export class ReplayedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'the original topic, published to again' }) topic: string;
  @ApiProperty({ description: 'bytes published (the original payload)' }) payloadSize: number;
  @ApiProperty() replayedAt: Date;
  @ApiProperty({ description: 'replays of this dead letter so far, this one included' }) replayCount: number;
}
