import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import {
  ALERT_CONDITIONS,
  ALERT_SCOPES,
  ALERT_SEVERITIES,
  AlertCondition,
  AlertScope,
  AlertSeverity,
  DEVICE_ID_PATTERN,
} from '@sensorhub/domain';

export const ACTION_TYPES = ['mqtt', 'webhook', 'script'] as const;

export class AlertActionDto {
  @ApiProperty({ enum: ACTION_TYPES })
  @IsIn(ACTION_TYPES)
  type: (typeof ACTION_TYPES)[number];

  @ApiPropertyOptional({
    description:
      'mqtt: topic template (default ALERT_MQTT_TOPIC); {deviceId} {metric} {severity} {state} {ruleId} …',
    example: 'devices/{deviceId}/cmd',
  })
  @ValidateIf((a: AlertActionDto) => a.type === 'mqtt' && a.topic !== undefined)
  @Matches(/^[^#+]{1,200}$/, { message: 'topic must be 1-200 characters without MQTT wildcards' })
  topic?: string;

  @ApiPropertyOptional({ description: 'mqtt: payload template (default: the event as JSON)' })
  @ValidateIf((a: AlertActionDto) => a.type === 'mqtt' && a.payload !== undefined)
  @IsString()
  @MaxLength(4000)
  payload?: string;

  @ApiPropertyOptional({ description: 'webhook: http(s) URL receiving the event as a signed POST' })
  @ValidateIf((a: AlertActionDto) => a.type === 'webhook')
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  url?: string;

  @ApiPropertyOptional({ description: 'script (admins only): an executable inside ALERT_SCRIPTS_DIR' })
  @ValidateIf((a: AlertActionDto) => a.type === 'script')
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  path?: string;
}

export class CreateAlertRuleDto {
  @ApiProperty({ example: 'Greenhouse too hot' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    enum: ALERT_SCOPES,
    description: 'one device, devices whose metadata key has a value, or all',
  })
  @IsIn(ALERT_SCOPES)
  scope: AlertScope;

  @ApiPropertyOptional({ description: 'scope "device": its id' })
  @ValidateIf((r: CreateAlertRuleDto) => r.scope === 'device')
  @Matches(DEVICE_ID_PATTERN, { message: 'scopeDeviceId must be 1-64 of [A-Za-z0-9_-]' })
  scopeDeviceId?: string;

  @ApiPropertyOptional({ description: 'scope "metadata": the key', example: 'site' })
  @ValidateIf((r: CreateAlertRuleDto) => r.scope === 'metadata')
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  scopeKey?: string;

  @ApiPropertyOptional({
    description: 'scope "metadata": the value (compared as text)',
    example: 'greenhouse',
  })
  @ValidateIf((r: CreateAlertRuleDto) => r.scope === 'metadata')
  @IsString()
  @MaxLength(200)
  scopeValue?: string;

  @ApiProperty({ example: 'temperature' })
  @Matches(/^[a-z0-9_]{1,64}$/, { message: 'metric must be 1-64 of [a-z0-9_]' })
  metric: string;

  @ApiProperty({
    enum: ALERT_CONDITIONS,
    description:
      'above/below threshold; outside [threshold, thresholdHigh]; rate: |change per minute| above threshold; ' +
      'no_data: nothing for noDataSeconds',
  })
  @IsIn(ALERT_CONDITIONS)
  condition: AlertCondition;

  @ApiPropertyOptional({ example: 30 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold?: number;

  @ApiPropertyOptional({ description: 'outside: the high end' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  thresholdHigh?: number;

  @ApiPropertyOptional({
    description: 'hysteresis: clears only past this value (default: threshold)',
    example: 28,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  clearThreshold?: number;

  @ApiPropertyOptional({ description: 'outside: the high end of the clear band (default: thresholdHigh)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  clearThresholdHigh?: number;

  @ApiPropertyOptional({ description: 'no_data: seconds of silence', example: 300 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(604_800)
  noDataSeconds?: number;

  @ApiPropertyOptional({
    description: 'the condition must hold this long before firing (and clearing)',
    default: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604_800)
  durationSeconds?: number;

  @ApiProperty({ enum: ALERT_SEVERITIES })
  @IsIn(ALERT_SEVERITIES)
  severity: AlertSeverity;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: [AlertActionDto],
    description: 'besides the SSE event every transition sends',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AlertActionDto)
  actions?: AlertActionDto[];
}

export class UpdateAlertRuleDto extends PartialType(CreateAlertRuleDto) {}

export class AlertRuleDto extends CreateAlertRuleDto {
  @ApiProperty() id: string;
  @ApiProperty() declare enabled: boolean;
  @ApiProperty() declare durationSeconds: number;
  @ApiProperty({ type: [AlertActionDto] }) declare actions: AlertActionDto[];
  @ApiProperty({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class PreviewAlertRuleDto extends CreateAlertRuleDto {
  @ApiPropertyOptional({ description: 'start of the replay (default: 24 h before `to`)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'end of the replay (default: now)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

export class PreviewTransitionDto {
  @ApiProperty({ enum: ['firing', 'resolved'] }) kind: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: Number, nullable: true }) value: number | null;
}

export class PreviewDeviceDto {
  @ApiProperty() deviceId: string;
  @ApiProperty({ type: [PreviewTransitionDto] }) transitions: PreviewTransitionDto[];
}

export class PreviewResultDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ description: 'readings replayed' }) readings: number;
  @ApiProperty({ description: 'true when the range held more readings than one preview replays' })
  truncated: boolean;
  @ApiProperty({ type: [PreviewDeviceDto] }) devices: PreviewDeviceDto[];
}
