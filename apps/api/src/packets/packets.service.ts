import { randomUUID } from 'node:crypto';

import { HttpStatus, Inject, Injectable } from '@nestjs/common';

import { DEAD_LETTER_REASONS as R, DeadLetterReason, parseMessage, telemetryTopic } from '@sensorhub/domain';

import { CatalogService } from '../catalog/catalog.service';
import { ApiError, conflict } from '../common/errors';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';
import { DevicesService } from '../devices/devices.service';
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
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly mqtt: MqttService,
    private readonly devices: DevicesService,
    private readonly catalog: CatalogService,
  ) {}

  /**
   * Validates with the domain parser, then publishes to devices/{id}/telemetry at QoS 1: ingest stores it like any
   * sensor's packet (one write path, same dedup, live NOTIFY and rules). A missing timestamp is set to now first.
   */
  async submit(dto: PacketDto): Promise<PacketAcceptedDto> {
    const packet = { ...dto, timestamp: dto.timestamp ?? new Date().toISOString() };
    const payload = JSON.stringify(packet);
    const topic = telemetryTopic(dto.device_id);
    const parsed = parseMessage(topic, Buffer.from(payload), { catalog: this.catalog.current });
    if (!parsed.ok) {
      const field = FIELD_BY_REASON[parsed.reason] ?? fieldOf(parsed.detail);
      throw new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_PACKET', parsed.detail, {
        field,
        reason: parsed.reason,
      });
    }
    await this.assertWithinCaps(
      dto.device_id,
      parsed.readings.map((r) => r.metric),
    );
    await this.mqtt.publish(topic, payload);
    const ts =
      parsed.readings[0]?.ts ??
      new Date(typeof packet.timestamp === 'number' ? packet.timestamp : Date.parse(packet.timestamp));
    return { id: randomUUID(), deviceId: dto.device_id, timestamp: ts, readings: parsed.readings.length };
  }

  /**
   * MAX_METRICS_PER_MESSAGE per packet, MAX_METRICS_PER_DEVICE distinct metrics per device: one packet with thousands
   * of metrics would otherwise make every device listing heavy for everyone.
   */
  private async assertWithinCaps(deviceId: string, metrics: string[]): Promise<void> {
    const { MAX_METRICS_PER_MESSAGE: perMessage, MAX_METRICS_PER_DEVICE: perDevice } = this.config;
    const distinct = new Set(metrics);
    if (distinct.size > perMessage) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'INVALID_PACKET',
        `measurements holds ${distinct.size} metrics; at most ${perMessage} per packet (MAX_METRICS_PER_MESSAGE)`,
        { field: 'measurements', reason: TOO_MANY_METRICS },
      );
    }
    const known = new Set(await this.devices.metricsOf(deviceId));
    const added = [...distinct].filter((m) => !known.has(m));
    if (added.length && known.size + added.length > perDevice) {
      throw conflict(
        `device ${deviceId} has ${known.size} metrics; ${added.length} new would pass the cap of ${perDevice} ` +
          '(MAX_METRICS_PER_DEVICE)',
      );
    }
  }
}

/** Reason code of a packet over MAX_METRICS_PER_MESSAGE (ingest's parser should dead-letter such a message alike). */
export const TOO_MANY_METRICS = 'too_many_metrics';

/** The parser's details start with the field (`measurements.temp must be…`) or quote it (`unexpected field "x"`). */
function fieldOf(detail: string): string {
  const quoted = /^(?:unexpected field|measurement) "([^"]+)"/.exec(detail);
  if (quoted) return detail.startsWith('measurement ') ? `measurements.${quoted[1]}` : quoted[1];
  const first = detail.split(' ')[0];
  if (/^(device_id|timestamp|measurements(\.[a-z0-9_]+)?|status|battery)$/.test(first)) return first;
  return /measurement/.test(detail) ? 'measurements' : 'body';
}
