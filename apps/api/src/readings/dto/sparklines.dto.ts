import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Matches, Max, Min } from 'class-validator';

import { DEVICE_ID_PATTERN } from '@sensorhub/domain';

export const SPARKLINE_DEVICES_MAX = 200;
export const SPARKLINE_WINDOW_DEFAULT = 3600;
export const SPARKLINE_POINTS_DEFAULT = 30;

/** `a,b,c` (or repeated `devices=`) → distinct ids; anything else is left for the validators to reject. */
const toIds = ({ value }: { value: unknown }) => {
  const parts = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return value;
  return [...new Set((parts as string[]).flatMap((p) => p.split(',')))];
};

export class SparklinesQueryDto {
  @ApiProperty({
    description: `comma-separated device ids, 1–${SPARKLINE_DEVICES_MAX}`,
    type: String,
    example: 'greenhouse-1,weather-2',
  })
  @Transform(toIds)
  @IsArray({ message: 'devices must be a comma-separated list of device ids' })
  @ArrayMinSize(1, { message: 'devices must name at least one device' })
  @ArrayMaxSize(SPARKLINE_DEVICES_MAX, {
    message: `devices must name at most ${SPARKLINE_DEVICES_MAX} devices`,
  })
  @Matches(DEVICE_ID_PATTERN, { each: true, message: 'each device id must be 1-64 of [A-Za-z0-9_-]' })
  devices: string[];

  @ApiPropertyOptional({
    description: 'seconds back from now',
    default: SPARKLINE_WINDOW_DEFAULT,
    minimum: 60,
    maximum: 86_400,
  })
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(86_400)
  window: number = SPARKLINE_WINDOW_DEFAULT;

  @ApiPropertyOptional({
    description: 'at most this many buckets per series',
    default: SPARKLINE_POINTS_DEFAULT,
    minimum: 2,
    maximum: 120,
  })
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(120)
  points: number = SPARKLINE_POINTS_DEFAULT;
}

export class SparklinePointDto {
  @ApiProperty({ description: 'bucket start' }) ts: Date;
  @ApiProperty({ description: 'mean of the readings in the bucket' }) avg: number;
}

export class SparklineSeriesDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() metric: string;
  @ApiProperty({ type: [SparklinePointDto], description: 'ascending; empty buckets are left out' })
  points: SparklinePointDto[];
}

export class SparklinesDto {
  @ApiProperty({ description: 'seconds back from now' }) window: number;
  @ApiProperty({ description: 'the most buckets a series holds' }) points: number;
  @ApiProperty({
    description:
      'bucket width: ⌈window / (points − 1)⌉, buckets at UTC multiples of it, so a bucket keeps its ts across requests',
  })
  bucketSeconds: number;
  @ApiProperty({
    type: [SparklineSeriesDto],
    description:
      'every metric of the devices with readings in the window, by device and metric; unknown ids have none',
  })
  series: SparklineSeriesDto[];
}
