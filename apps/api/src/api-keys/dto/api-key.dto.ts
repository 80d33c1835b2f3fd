import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

import { API_KEY_SCOPES, ApiKey, ApiKeyScope } from '@sensorhub/domain';

import { DEVICE_SCOPE_PATTERN } from '../../common/device-scope';

const DEVICES_DESCRIPTION =
  'only these devices: ids, or patterns where `*` stands for any run of id characters (`greenhouse-*`). ' +
  'Packets, commands, readings and streams of other devices answer 403; lists show only these. ' +
  'null or absent: every device';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'billing export' }) name: string;
  @ApiProperty({ example: 'shk_Ab3dEf9h', description: 'the public start of the key, to recognise it' })
  prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes: ApiKeyScope[];
  @ApiProperty({
    type: [String],
    nullable: true,
    description: DEVICES_DESCRIPTION,
    example: ['greenhouse-*', 'weather-2'],
  })
  devices: string[] | null;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastUsedAt: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;

  static of(k: ApiKey): ApiKeyDto {
    return {
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      devices: k.deviceScopes,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      revokedAt: k.revokedAt,
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'the key itself, shown only in this response: send it as X-API-Key' })
  key: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'billing export' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    isArray: true,
    description: 'read: viewer routes; write: operator routes (admin routes never accept keys)',
    example: ['read', 'write'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes: ApiKeyScope[];

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: DEVICES_DESCRIPTION,
    example: ['greenhouse-*', 'weather-2'],
    minItems: 1,
    maxItems: 100,
    items: { type: 'string', pattern: DEVICE_SCOPE_PATTERN.source },
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(DEVICE_SCOPE_PATTERN, {
    each: true,
    message: 'each device must be 1-64 of [A-Za-z0-9_-], with * as a wildcard',
  })
  devices?: string[] | null;
}
