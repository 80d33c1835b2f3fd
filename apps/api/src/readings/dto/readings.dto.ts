import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { METRIC_PATTERN } from '@sensorhub/domain';

export const MAX_POINTS_DEFAULT = 1000;
export const MAX_POINTS_CAP = 10_000;

const toDate = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : value;
};

export class RangeQueryDto {
  @ApiPropertyOptional({
    description: 'start, inclusive (ISO 8601 or epoch ms); default `to` − 24 h',
    type: String,
    format: 'date-time',
  })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'from must be ISO 8601 or epoch milliseconds' })
  from?: Date;

  @ApiPropertyOptional({
    description: 'end, exclusive (ISO 8601 or epoch ms); default now',
    type: String,
    format: 'date-time',
  })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'to must be ISO 8601 or epoch milliseconds' })
  to?: Date;
}

export class ReadingsQueryDto extends RangeQueryDto {
  @ApiProperty({ example: 'temperature' })
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
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class ExportQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({
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
