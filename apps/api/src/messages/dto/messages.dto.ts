import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { DEVICE_ID_PATTERN, METRIC_PATTERN } from '@sensorhub/domain';

import { DEVICE_ID_SCHEMA, InstantQuery, METRIC_SCHEMA } from '../../common/validation/validators';

export class MessagesQueryDto {
  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @InstantQuery('start_time', 'inclusive')
  start_time?: Date;

  @InstantQuery('end_time', 'exclusive')
  end_time?: Date;

  @ApiProperty({ ...METRIC_SCHEMA, description: 'the metric', example: 'temperature' })
  @IsString()
  @Matches(METRIC_PATTERN, { message: 'key must be 1-64 of [a-z0-9_]' })
  key: string;

  @ApiPropertyOptional({
    ...DEVICE_ID_SCHEMA,
    description: 'only readings of this device',
    example: 'a1b2c3d4',
  })
  @IsOptional()
  @IsString()
  @Matches(DEVICE_ID_PATTERN, { message: 'deviceId must be 1-64 of [A-Za-z0-9_-]' })
  deviceId?: string;

  @ApiPropertyOptional({ description: 'only readings with exactly this value', example: 23.5 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number;
}

export class MessageDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() metric: string;
  @ApiProperty() ts: Date;
  @ApiProperty() value: number;
}

export class MessagesDto {
  @ApiProperty({ description: 'readings matching the filters' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty({ type: [MessageDto], description: 'newest first' }) items: MessageDto[];
}
