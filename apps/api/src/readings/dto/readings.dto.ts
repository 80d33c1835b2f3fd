import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { METRIC_PATTERN } from '@sensorhub/domain';

import { InstantQuery, METRIC_SCHEMA } from '../../common/validation/validators';

export const MAX_POINTS_DEFAULT = 1000;
export const MAX_POINTS_CAP = 10_000;

export class RangeQueryDto {
  @InstantQuery('from', 'start, inclusive; default `to` − 24 h')
  from?: Date;

  @InstantQuery('to', 'end, exclusive; default now')
  to?: Date;
}

export class ReadingsQueryDto extends RangeQueryDto {
  @ApiProperty({ ...METRIC_SCHEMA, example: 'temperature' })
  @IsString()
  @Matches(METRIC_PATTERN, { message: 'metric must be 1-64 of [a-z0-9_]' })
  metric: string;

  @ApiPropertyOptional({ default: MAX_POINTS_DEFAULT, minimum: 10, maximum: MAX_POINTS_CAP })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(MAX_POINTS_CAP)
  maxPoints: number = MAX_POINTS_DEFAULT;

  @ApiPropertyOptional({
    description: 'IANA zone (pg_timezone_names): day-sized buckets start at its local midnight',
    example: 'Europe/Berlin',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class ExportQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({
    ...METRIC_SCHEMA,
    description: 'one metric; default every metric of the device',
    example: 'temperature',
  })
  @IsOptional()
  @IsString()
  @Matches(METRIC_PATTERN, { message: 'metric must be 1-64 of [a-z0-9_]' })
  metric?: string;
}

export class PointDto {
  @ApiProperty({ description: 'bucket start, or the reading time when raw' }) ts: Date;
  @ApiProperty() min: number;
  @ApiProperty() avg: number;
  @ApiProperty() max: number;
  @ApiProperty({ description: 'readings in the bucket (1 when raw)' }) count: number;
}

export class ReadingsDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() metric: string;
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: String, nullable: true }) tz: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'bucket width; null when the points are the raw readings',
  })
  bucketSeconds: number | null;
  @ApiProperty({ type: [PointDto] }) points: PointDto[];
}
