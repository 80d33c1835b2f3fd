import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

import { DEVICE_ID_PATTERN, METRIC_PATTERN } from '@sensorhub/domain';

import { ReadingsDto, ReadingsQueryDto } from './readings.dto';

/** `device:metric`, or `device:*` for every metric of the device: device ids never hold a colon, metrics neither */
export const SERIES_PATTERN = new RegExp(
  `^${DEVICE_ID_PATTERN.source.slice(1, -1)}:(${METRIC_PATTERN.source.slice(1, -1)}|\\*)$`,
);
/** `device:*`: every metric the device has readings of, in name order */
export const ALL_METRICS = '*';

/** `a:x,b:y` (or repeated `series=`) → distinct entries in the order given; anything else is left for the validators. */
const toList = ({ value }: { value: unknown }) => {
  const parts = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return value;
  return [...new Set((parts as string[]).flatMap((p) => p.split(',')))];
};

export class SeriesQueryDto extends OmitType(ReadingsQueryDto, ['metric'] as const) {
  @ApiProperty({
    description:
      'comma-separated `device:metric` pairs, in the order the answer lists them; `device:*` stands for every metric ' +
      'of the device, in name order (a device page asks for its series beside the device itself, not after it); at ' +
      'most SERIES_MAX (default 50) series in all',
    type: String,
    example: 'greenhouse-1:temperature,greenhouse-1:humidity,cold-room-2:temperature',
  })
  @Transform(toList)
  @IsArray({ message: 'series must be a comma-separated list of device:metric' })
  @ArrayMinSize(1, { message: 'series must name at least one device:metric' })
  @Matches(SERIES_PATTERN, {
    each: true,
    message:
      'each series must be device:metric or device:* (device 1-64 of [A-Za-z0-9_-], metric 1-64 of [a-z0-9_])',
  })
  series: string[];

  @ApiPropertyOptional({
    description:
      'min, avg and max rounded to this many significant digits (a chart needs 6; averages carry 17, most of the ' +
      "answer's bytes); default: as stored",
    minimum: 1,
    maximum: 17,
    example: 6,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(17)
  digits?: number;
}

export class SeriesDto {
  @ApiProperty() from: Date;
  @ApiProperty() to: Date;
  @ApiProperty({ type: String, nullable: true }) tz: string | null;
  @ApiProperty({
    type: [ReadingsDto],
    description:
      'one entry per requested series, in the order asked, each as GET /devices/{id}/readings answers it',
  })
  series: ReadingsDto[];
}
