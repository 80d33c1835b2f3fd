import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsString } from 'class-validator';

import { INSTANT_RULE } from '@sensorhub/domain';

import { DEVICE_ID_SCHEMA, INSTANT_SCHEMA } from '../../common/validation/validators';

/** `{deviceId}.{epoch ms}`: the readings of a packet are keyed by device, metric and time. */
export const PACKET_ID_PATTERN = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})$/;

/** Valid whenever it is sent: without `timestamp` the packet is stamped with its time of receipt. */
export const PACKET_EXAMPLE = {
  device_id: 'a1b2c3d4',
  measurements: { temperature: 23.5, humidity: 41 },
  status: 'ok',
  battery: 87,
};

/**
 * The telemetry packet of the wire contract (devices/{id}/telemetry). Only the shape needed to build the topic is
 * checked here; the domain parser checks the rest so the API and ingest apply the same rules and reason codes.
 */
export class PacketDto {
  @ApiProperty({ ...DEVICE_ID_SCHEMA, example: PACKET_EXAMPLE.device_id })
  @IsString()
  device_id: string;

  @ApiPropertyOptional({
    description:
      `${INSTANT_RULE}, or a number of epoch milliseconds; within [now − 30 d, now + 5 min] ` +
      '(INGEST_TS_MAX_AGE_DAYS / INGEST_TS_MAX_SKEW_SECONDS of ingest); default: the time of receipt',
    oneOf: [INSTANT_SCHEMA, { type: 'integer', description: 'epoch milliseconds' }],
  })
  @Allow()
  timestamp?: string | number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'metric (1-64 of [a-z0-9_]) → finite number',
    example: PACKET_EXAMPLE.measurements,
  })
  @Allow()
  measurements: Record<string, number>;

  @ApiPropertyOptional({
    example: PACKET_EXAMPLE.status,
    maxLength: 64,
    description: 'device-reported state',
  })
  @Allow()
  status?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: PACKET_EXAMPLE.battery })
  @Allow()
  battery?: number;
}

export class PacketAcceptedDto {
  @ApiProperty({
    pattern: PACKET_ID_PATTERN.source,
    example: 'a1b2c3d4.1768473000000',
    description: 'GET /api/v1/packets/{id} shows its stored readings: `{device id}.{timestamp in epoch ms}`',
  })
  id: string;
  @ApiProperty({ ...DEVICE_ID_SCHEMA }) deviceId: string;
  @ApiProperty({ description: 'the packet time the readings are stored under' }) timestamp: Date;
  @ApiProperty({ type: 'integer', description: 'readings the packet holds' }) readings: number;
  @ApiProperty({
    description: 'true (201) when ingest committed it within PACKET_COMMIT_WAIT_MS, false (202) if not yet',
  })
  committed: boolean;
}

export class StoredReadingDto {
  @ApiProperty({ example: 'temperature' }) metric: string;
  @ApiProperty({ example: 23.5 }) value: number;
}

export class StoredPacketDto {
  @ApiProperty({ pattern: PACKET_ID_PATTERN.source, example: 'a1b2c3d4.1768473000000' }) id: string;
  @ApiProperty({ ...DEVICE_ID_SCHEMA }) deviceId: string;
  @ApiProperty() timestamp: Date;
  @ApiProperty({
    type: [StoredReadingDto],
    description: 'the readings stored at this device and time, by metric',
  })
  readings: StoredReadingDto[];
}
