import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsString } from 'class-validator';

/**
 * The telemetry packet of the wire contract (devices/{id}/telemetry). Only the shape needed to build the topic is
 * checked here; the domain parser checks the rest so the API and ingest apply the same rules and reason codes.
 */
export class PacketDto {
  @ApiProperty({ example: 'a1b2c3d4', pattern: '^[A-Za-z0-9_-]{1,64}$' })
  @IsString()
  device_id: string;

  @ApiPropertyOptional({
    description: 'ISO 8601 with zone or epoch ms, within [now − 30 d, now + 5 min]; default time of receipt',
    example: '2026-01-15T10:30:00.000Z',
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }],
  })
  @Allow()
  timestamp?: string | number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { temperature: 23.5, humidity: 41 },
  })
  @Allow()
  measurements: Record<string, number>;

  @ApiPropertyOptional({ example: 'ok', maxLength: 64 })
  @Allow()
  status?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 87 })
  @Allow()
  battery?: number;
}

export class PacketAcceptedDto {
  @ApiProperty({
    format: 'uuid',
    description: 'id of this submission (the readings are keyed by device, metric and time)',
  })
  id: string;
  @ApiProperty() deviceId: string;
  @ApiProperty() timestamp: Date;
  @ApiProperty({ description: 'readings the packet holds' }) readings: number;
}
