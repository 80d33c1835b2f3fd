import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import {
  COMMANDS,
  DEVICE_SORTS,
  DEVICE_STATUSES,
  DeviceSort,
  LOW_BATTERY_PERCENT,
} from '@sensorhub/contracts';

import { DEVICE_ID_SCHEMA, Optional } from '../../common/validation/validators';

export class LatestValueDto {
  @ApiProperty({ example: 23.5 }) value: number;
  @ApiProperty() ts: Date;
}

export class DeviceDto {
  @ApiProperty({ ...DEVICE_ID_SCHEMA, example: 'a1b2c3d4' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) location: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty() firstSeen: Date;
  @ApiProperty() lastSeen: Date;
  @ApiProperty({
    description:
      'the Last Will presence when the device reported one, else seen within DEVICE_OFFLINE_AFTER_SECONDS',
  })
  online: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'state from its last telemetry packet',
    example: 'ok',
  })
  status: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 87 }) battery: number | null;
  @ApiProperty({
    description: 'latest reading per metric',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/LatestValueDto' },
    example: { temperature: { value: 23.5, ts: '2026-01-15T10:30:00.000Z' } },
  })
  latest: Record<string, LatestValueDto>;
}

export const DEVICES_LIMIT_DEFAULT = 100;
export const DEVICES_LIMIT_MAX = 500;

export class DevicesQueryDto {
  @ApiPropertyOptional({ default: DEVICES_LIMIT_DEFAULT, minimum: 1, maximum: DEVICES_LIMIT_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEVICES_LIMIT_MAX)
  limit: number = DEVICES_LIMIT_DEFAULT;

  @ApiPropertyOptional({ default: 0, minimum: 0, description: 'devices to skip, in the list’s order' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset: number = 0;

  @ApiPropertyOptional({
    description: 'only devices whose id, name or location contains this (case-insensitive)',
    maxLength: 100,
    example: 'greenhouse',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: DEVICE_STATUSES, description: 'only online or only offline devices' })
  @IsOptional()
  @IsIn(DEVICE_STATUSES)
  status?: (typeof DEVICE_STATUSES)[number];

  @ApiPropertyOptional({
    enum: DEVICE_SORTS,
    default: 'name',
    description:
      'order: name (the id when unnamed, ignoring case); trouble: a firing alert, then offline, then battery below ' +
      `${LOW_BATTERY_PERCENT} %, then silent for DEVICE_OFFLINE_AFTER_SECONDS although presence says online, then by ` +
      'name; lastSeen, battery (no battery last); a leading - reverses',
  })
  @IsOptional()
  @IsIn(DEVICE_SORTS, { message: `sort must be one of ${DEVICE_SORTS.join(', ')}` })
  sort: DeviceSort = 'name';
}

export class DevicesPageDto {
  @ApiProperty({
    type: [DeviceDto],
    description:
      'in the order `sort` asks (by name, the id when unnamed, ignoring case, by default), then by id',
  })
  items: DeviceDto[];
  @ApiProperty({ description: 'devices matching q and status (for paging)', example: 1 }) total: number;
  @ApiProperty({ example: 100 }) limit: number;
  @ApiProperty({ example: 0 }) offset: number;
  @ApiProperty({ description: 'every device the caller may see, whatever the filters', example: 1 })
  fleetTotal: number;
  @ApiProperty({ description: 'of those, the ones online now', example: 1 }) fleetOnline: number;
  @ApiProperty({
    description:
      'DEVICE_OFFLINE_AFTER_SECONDS: a device without a Last Will presence counts as offline after this much silence',
    example: 300,
  })
  offlineAfterSeconds: number;
}

export class UpdateDeviceDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'replaces the whole metadata object ({} clears it; null is refused)',
  })
  @Optional()
  @IsObject({ message: 'metadata must be an object' })
  metadata?: Record<string, unknown>;
}

export class CommandDto {
  @ApiProperty({ enum: COMMANDS, example: 'interval' })
  @IsIn(COMMANDS)
  command: (typeof COMMANDS)[number];

  @ApiPropertyOptional({
    type: 'integer',
    description: 'for interval (required there): the new reporting interval',
    minimum: 1,
    maximum: 86_400,
    example: 60,
  })
  @ValidateIf((o: CommandDto) => o.command === 'interval' || o.seconds !== undefined)
  @IsInt()
  @Min(1)
  @Max(86_400)
  seconds?: number;
}

export class CommandSentDto {
  @ApiProperty({ example: 'devices/a1b2c3d4/cmd' }) topic: string;
  @ApiProperty({ example: '{"command":"interval","seconds":60}' }) payload: string;
}

export const DEVICE_ID_PARAM = {
  name: 'id',
  schema: DEVICE_ID_SCHEMA,
  example: 'a1b2c3d4',
  description: '1-64 of [A-Za-z0-9_-]',
};
