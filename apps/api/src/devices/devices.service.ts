import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryDeepPartialEntity } from 'typeorm';

import { commandTopic, Device } from '@sensorhub/domain';

import { notFound } from '../common/errors';
import { RuntimeSettingsService } from '../config/runtime-settings.service';
import { MqttService } from '../mqtt/mqtt.service';
import { CommandDto, CommandSentDto, DeviceDto, LatestValueDto, UpdateDeviceDto } from './dto/device.dto';

/**
 * Latest value of every (device, metric): a loose index scan over the primary key (device_id, metric, ts) finds the
 * pairs with one probe each, then one backward probe per pair; no extra table or index for ingest to maintain.
 */
const LATEST_SQL = (oneDevice: boolean) => `
  WITH RECURSIVE pairs AS (
    (SELECT device_id, metric FROM readings ${oneDevice ? 'WHERE device_id = $1' : ''} ORDER BY device_id, metric LIMIT 1)
    UNION ALL
    SELECT n.device_id, n.metric FROM pairs p CROSS JOIN LATERAL (
      SELECT r.device_id, r.metric FROM readings r
      -- one device: equality plus metric > … keeps both as index bounds (a row comparison next to the equality was
      -- used as a filter only, reading every row of the device)
      WHERE ${oneDevice ? 'r.device_id = $1 AND r.metric > p.metric' : '(r.device_id, r.metric) > (p.device_id, p.metric)'}
      ORDER BY r.device_id, r.metric LIMIT 1) n
  )
  SELECT p.device_id, p.metric, l.ts, l.value FROM pairs p CROSS JOIN LATERAL (
    SELECT ts, value FROM readings r WHERE r.device_id = p.device_id AND r.metric = p.metric ORDER BY ts DESC LIMIT 1) l`;

@Injectable()
export class DevicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: RuntimeSettingsService,
    private readonly mqtt: MqttService,
  ) {}

  async list(): Promise<DeviceDto[]> {
    const [devices, latest] = await Promise.all([
      this.db.getRepository(Device).find({ order: { id: 'ASC' } }),
      this.db.query<LatestRow[]>(LATEST_SQL(false)),
    ]);
    const byDevice = groupLatest(latest);
    return devices.map((d) => this.toDto(d, byDevice.get(d.id)));
  }

  async get(id: string): Promise<DeviceDto> {
    const [device, latest] = await Promise.all([
      this.db.getRepository(Device).findOneBy({ id }),
      this.db.query<LatestRow[]>(LATEST_SQL(true), [id]),
    ]);
    if (!device) throw notFound('device');
    return this.toDto(device, groupLatest(latest).get(id));
  }

  async update(id: string, dto: UpdateDeviceDto): Promise<DeviceDto> {
    const patch: Partial<Device> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.location !== undefined) patch.location = dto.location;
    if (dto.metadata !== undefined) patch.metadata = dto.metadata;
    const repo = this.db.getRepository(Device);
    if (!(await repo.existsBy({ id }))) throw notFound('device');
    // metadata is replaced whole, not merged: cast past TypeORM's deep-partial typing of jsonb
    if (Object.keys(patch).length) await repo.update({ id }, patch as QueryDeepPartialEntity<Device>);
    return this.get(id);
  }

  /** Removes the device, all its readings and their hourly rollup in one transaction. */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const { affected } = await m.delete(Device, { id });
      if (!affected) throw notFound('device');
      await m.query('DELETE FROM readings WHERE device_id = $1', [id]);
      await m.query('DELETE FROM readings_hourly WHERE device_id = $1', [id]);
    });
  }

  async assertExists(id: string): Promise<void> {
    if (!(await this.db.getRepository(Device).existsBy({ id }))) throw notFound('device');
  }

  /** Publishes the command at QoS 1 to devices/{id}/cmd; the device takes it on its next connection if away. */
  async sendCommand(id: string, dto: CommandDto): Promise<CommandSentDto> {
    await this.assertExists(id);
    const payload = JSON.stringify(
      dto.seconds === undefined ? { command: dto.command } : { command: dto.command, seconds: dto.seconds },
    );
    const topic = commandTopic(id);
    await this.mqtt.publish(topic, payload);
    return { topic, payload };
  }

  private toDto(d: Device, latest: Record<string, LatestValueDto> = {}): DeviceDto {
    const freshMs = this.settings.get().DEVICE_OFFLINE_AFTER_SECONDS * 1000;
    return {
      id: d.id,
      name: d.name,
      location: d.location,
      metadata: d.metadata,
      firstSeen: d.firstSeen,
      lastSeen: d.lastSeen,
      online: d.online ?? Date.now() - d.lastSeen.getTime() < freshMs,
      status: d.status,
      battery: d.battery,
      latest,
    };
  }
}

interface LatestRow {
  device_id: string;
  metric: string;
  ts: Date;
  value: number;
}

function groupLatest(rows: LatestRow[]): Map<string, Record<string, LatestValueDto>> {
  const out = new Map<string, Record<string, LatestValueDto>>();
  for (const r of rows) {
    let m = out.get(r.device_id);
    if (!m) out.set(r.device_id, (m = {}));
    m[r.metric] = { value: r.value, ts: r.ts };
  }
  return out;
}
