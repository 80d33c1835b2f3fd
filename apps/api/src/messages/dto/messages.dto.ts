import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { METRIC_PATTERN } from '@sensorhub/domain';

const toDate = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : value;
};

export class MessagesQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ description: 'inclusive (ISO 8601 or epoch ms)', type: String, format: 'date-time' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'start_time must be ISO 8601 or epoch milliseconds' })
  start_time?: Date;

  @ApiPropertyOptional({ description: 'exclusive (ISO 8601 or epoch ms)', type: String, format: 'date-time' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'end_time must be ISO 8601 or epoch milliseconds' })
  end_time?: Date;

  @ApiProperty({ description: 'the metric', example: 'temperature' })
  @IsString()
  @Matches(METRIC_PATTERN, { message: 'key must be 1-64 of [a-z0-9_]' })
  key: string;

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
