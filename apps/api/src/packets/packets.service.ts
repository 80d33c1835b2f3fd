import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';

import {
  DEAD_LETTER_REASONS as R,
  DeviceState,
  EPOCH_SECONDS_BELOW,
  INSTANT_RULE,
  instantFromEpochMs,
  parseInstant,
  parseMessage,
  telemetryTopic,
} from '@sensorhub/domain';

import { CatalogService } from '../catalog/catalog.service';
import { ApiError, badRequest, conflict, notFound } from '../common/errors';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig } from '../config/api.config';
import { DevicesService } from '../devices/devices.service';
import { LiveService } from '../live/live.service';
import { MqttService } from '../mqtt/mqtt.service';
import { PACKET_ID_PATTERN, PacketAcceptedDto, PacketDto, StoredPacketDto } from './dto/packet.dto';

export const packetId = (deviceId: string, tsMs: number): string => `${deviceId}.${tsMs}`;

@Injectable()
export class PacketsService {
  constructor(
    private readonly mqtt: MqttService,
    private readonly live: LiveService,
    private readonly devices: DevicesService,
    private readonly catalog: CatalogService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Validates with the domain parser (the verdict ingest would reach on the same bytes), then publishes to
   * devices/{id}/telemetry at QoS 1: ingest stores it like any sensor's packet (one write path, same dedup, live
   * NOTIFY). A missing timestamp is set to now first, so the packet has one time to be found by. Then waits up to
   * PACKET_COMMIT_WAIT_MS for ingest's commit NOTIFY naming the packet's readings (or, without measurements, its
   * device state): `committed` tells the controller 201 from 202.
   */
  async submit(dto: PacketDto): Promise<PacketAcceptedDto> {
    assertApiTimestamp(dto.timestamp);
    const packet = { ...dto, timestamp: dto.timestamp ?? new Date().toISOString() };
    const payload = JSON.stringify(packet);
    const topic = telemetryTopic(dto.device_id);
    const parsed = parseMessage(topic, Buffer.from(payload), { catalog: this.catalog.current });
    if (!parsed.ok) {
      // the topic is built from device_id; every other failure names its field, or is the body as a whole
      const field = parsed.reason === R.invalidTopic ? 'device_id' : (parsed.field ?? 'body');
      throw new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_PACKET', parsed.detail, {
        field,
        reason: parsed.reason,
      });
    }
    await this.assertWithinCaps(
      dto.device_id,
      parsed.readings.map((r) => r.metric),
    );
    const ts =
      parsed.readings[0]?.ts ??
      new Date(typeof packet.timestamp === 'number' ? packet.timestamp : parseInstant(packet.timestamp)!);
    const tsMs = ts.getTime();
    const metrics = new Set(parsed.readings.map((r) => r.metric));
    // listen before publishing: the commit can be announced before publish() returns
    const commit = this.commitAnnounced(dto.device_id, tsMs, metrics, parsed.device);
    try {
      await this.mqtt.publish(topic, payload);
    } catch (e) {
      commit.cancel();
      throw e;
    }
    let committed = await commit.done;
    // the live listener may be reconnecting: one look at the table before calling it pending
    if (!committed && metrics.size) committed = await this.isStored(dto.device_id, tsMs, metrics.size);
    return {
      id: packetId(dto.device_id, tsMs),
      deviceId: dto.device_id,
      timestamp: ts,
      readings: parsed.readings.length,
      committed,
    };
  }

  /** The readings stored under a packet id; 404 until ingest has committed them. */
  async get(id: string): Promise<StoredPacketDto> {
    const m = PACKET_ID_PATTERN.exec(id);
    if (!m) {
      const message = 'id must be {device id}.{epoch ms}, as POST /packets returns it';
      throw badRequest(message, [{ field: 'id', errors: [message] }]);
    }
    const [, deviceId, ms] = m;
    const ts = new Date(Number(ms));
    const rows = await this.db.query<{ metric: string; value: number }[]>(
      'SELECT metric, value FROM readings WHERE device_id = $1 AND ts = $2 ORDER BY metric',
      [deviceId, ts],
    );
    if (!rows.length) throw notFound('packet');
    return { id, deviceId, timestamp: ts, readings: rows };
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

  private async isStored(deviceId: string, tsMs: number, count: number): Promise<boolean> {
    const [{ n }] = await this.db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM readings WHERE device_id = $1 AND ts = $2',
      [deviceId, new Date(tsMs)],
    );
    return n >= count;
  }

  /** Resolves `done` true once NOTIFYs have named every metric at (device, ts) — or the state alone — else false. */
  private commitAnnounced(
    deviceId: string,
    tsMs: number,
    metrics: Set<string>,
    state: DeviceState = {},
  ): { done: Promise<boolean>; cancel: () => void } {
    const pending = new Set(metrics);
    let stateSeen = metrics.size > 0; // readings and device state commit in the same transaction
    let finish!: (v: boolean) => void;
    const done = new Promise<boolean>((resolve) => (finish = resolve));
    let ended = false;
    const end = (v: boolean) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      sub.unsubscribe();
      finish(v);
    };
    const timer = setTimeout(() => end(false), this.config.PACKET_COMMIT_WAIT_MS);
    const sub: Subscription = this.live.notifications.subscribe({
      next: (n) => {
        for (const [d, metric, ts] of n.readings ?? [])
          if (d === deviceId && ts === tsMs) pending.delete(metric);
        stateSeen ||= (n.devices ?? []).some(
          (d) =>
            d.id === deviceId &&
            (state.status === undefined || d.status === state.status) &&
            (state.battery === undefined || d.battery === state.battery),
        );
        if (pending.size === 0 && stateSeen) end(true);
      },
      // deferred: a stream already completed (shutdown) completes inside subscribe(), before `sub` exists
      complete: () => queueMicrotask(() => end(false)),
    });
    return { done, cancel: () => end(false) };
  }
}

/**
 * The REST API's one time rule (ISO 8601 with a zone; a JSON number is epoch milliseconds), stricter than the MQTT
 * wire's (zone-less UTC, epoch seconds by magnitude) so that a time means the same in every request.
 */
function assertApiTimestamp(ts: unknown): void {
  if (ts === undefined) return;
  const ok =
    typeof ts === 'string'
      ? parseInstant(ts) !== null
      : typeof ts === 'number' && ts >= EPOCH_SECONDS_BELOW && instantFromEpochMs(ts) !== null;
  if (!ok) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'INVALID_PACKET',
      `timestamp must be ${INSTANT_RULE}, or a number of epoch milliseconds`,
      { field: 'timestamp', reason: R.invalidTimestamp },
    );
  }
}

/** Reason code of a packet over MAX_METRICS_PER_MESSAGE (ingest's parser should dead-letter such a message alike). */
export const TOO_MANY_METRICS = 'too_many_metrics';
