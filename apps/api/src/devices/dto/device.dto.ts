import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

export class LatestValueDto {
  @ApiProperty({ example: 23.5 }) value: number;
  @ApiProperty() ts: Date;
}

export class DeviceDto {
  @ApiProperty({ example: 'a1b2c3d4' }) id: string;
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
    description: 'replaces the whole metadata object',
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

/** What the firmware understands (firmware/lib/sensorhub_core/src/sh_command.h). */
export const COMMANDS = ['reboot', 'ping', 'interval'] as const;

export class CommandDto {
  @ApiProperty({ enum: COMMANDS, example: 'interval' })
  @IsIn(COMMANDS)
  command: (typeof COMMANDS)[number];

  @ApiPropertyOptional({
    description: 'for interval: the new reporting interval',
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

export const DEVICE_ID_PARAM = { name: 'id', example: 'a1b2c3d4' };
