import { randomUUID } from 'node:crypto';

import { HttpStatus, Injectable } from '@nestjs/common';

import { DEAD_LETTER_REASONS as R, DeadLetterReason, parseMessage, telemetryTopic } from '@sensorhub/domain';

import { ApiError } from '../common/errors';
import { MqttService } from '../mqtt/mqtt.service';
import { PacketAcceptedDto, PacketDto } from './dto/packet.dto';

const FIELD_BY_REASON: Partial<Record<DeadLetterReason, string>> = {
  [R.invalidTopic]: 'device_id',
  [R.deviceIdMismatch]: 'device_id',
  [R.invalidTimestamp]: 'timestamp',
  [R.timestampOutOfRange]: 'timestamp',
  [R.invalidBattery]: 'battery',
  [R.payloadTooLarge]: 'body',
};

@Injectable()
export class PacketsService {
  constructor(private readonly mqtt: MqttService) {}

  /**
   * Validates with the domain parser, then publishes to devices/{id}/telemetry at QoS 1: ingest stores it like any
   * sensor's packet (one write path, same dedup, live NOTIFY and rules). A missing timestamp is set to now first.
   */
  async submit(dto: PacketDto): Promise<PacketAcceptedDto> {
    const packet = { ...dto, timestamp: dto.timestamp ?? new Date().toISOString() };
    const payload = JSON.stringify(packet);
    const topic = telemetryTopic(dto.device_id);
    const parsed = parseMessage(topic, Buffer.from(payload));
    if (!parsed.ok) {
      const field = FIELD_BY_REASON[parsed.reason] ?? fieldOf(parsed.detail);
      throw new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_PACKET', parsed.detail, {
        field,
        reason: parsed.reason,
      });
    }
    await this.mqtt.publish(topic, payload);
    const ts =
      parsed.readings[0]?.ts ??
      new Date(typeof packet.timestamp === 'number' ? packet.timestamp : Date.parse(packet.timestamp));
    return { id: randomUUID(), deviceId: dto.device_id, timestamp: ts, readings: parsed.readings.length };
  }
}

/** The parser's details start with the field (`measurements.temp must be…`) or quote it (`unexpected field "x"`). */
function fieldOf(detail: string): string {
  const quoted = /^(?:unexpected field|measurement) "([^"]+)"/.exec(detail);
  if (quoted) return detail.startsWith('measurement ') ? `measurements.${quoted[1]}` : quoted[1];
  const first = detail.split(' ')[0];
  if (/^(device_id|timestamp|measurements(\.[a-z0-9_]+)?|status|battery)$/.test(first)) return first;
  return /measurement/.test(detail) ? 'measurements' : 'body';
}
