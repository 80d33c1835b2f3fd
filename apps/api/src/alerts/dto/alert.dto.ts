import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { ALERT_SEVERITIES, ALERT_STATES, DEVICE_ID_PATTERN } from '@sensorhub/domain';

export class AlertDto {
  @ApiProperty() id: string;
  @ApiProperty() ruleId: string;
  @ApiProperty() ruleName: string;
  @ApiProperty() deviceId: string;
  @ApiProperty({ type: String, nullable: true, description: "the device's display name, if it has one" })
  deviceName: string | null;
  @ApiProperty() metric: string;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: string;
  @ApiProperty({ enum: ALERT_STATES }) state: string;
  @ApiProperty({ type: Number, nullable: true }) value: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the rule threshold (for chart lines)' })
  threshold: number | null;
  @ApiProperty({ type: Number, nullable: true }) thresholdHigh: number | null;
  @ApiProperty() startedAt: Date;
  @ApiProperty({ type: Date, nullable: true }) firedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) resolvedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) acknowledgedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'e-mail of who acknowledged' })
  acknowledgedByEmail: string | null;
  @ApiProperty({ type: Date, nullable: true }) acknowledgedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) ackNote: string | null;
}

export class AlertsPageDto {
  @ApiProperty({ type: [AlertDto] }) items: AlertDto[];
  @ApiProperty() total: number;
  @ApiProperty({ description: 'firing alerts by severity, across every filter' })
  firing: Record<string, number>;
}

export class AlertsQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATES }) @IsOptional() @IsIn(ALERT_STATES) state?: string;
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES }) @IsOptional() @IsIn(ALERT_SEVERITIES) severity?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DEVICE_ID_PATTERN, { message: 'deviceId must be 1-64 of [A-Za-z0-9_-]' })
  deviceId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() ruleId?: string;
  @ApiPropertyOptional({ description: 'started at or after' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'started before' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;
  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export class AcknowledgeDto {
  @ApiPropertyOptional({ example: 'fan replaced, watching it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class AlertEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['firing', 'resolved', 'acknowledged'] }) transition: string;
  @ApiProperty({ description: 'sse, mqtt, webhook or script' }) action: string;
  @ApiProperty({ enum: ['pending', 'done', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) processedAt: Date | null;
  @ApiProperty() nextAttemptAt: Date;
}
