import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryDeepPartialEntity } from 'typeorm';

import { commandTopic, Device, DeviceSort, LOW_BATTERY_PERCENT } from '@sensorhub/domain';

import { deviceScopesAsLike } from '../common/device-scope';
import { notFound } from '../common/errors';
import { RuntimeSettingsService } from '../config/runtime-settings.service';
import { MqttService } from '../mqtt/mqtt.service';
import {
  CommandDto,
  CommandSentDto,
  DeviceDto,
  DevicesPageDto,
  DevicesQueryDto,
  LatestValueDto,
  UpdateDeviceDto,
} from './dto/device.dto';

/**
 * The latest value of every metric of the given devices: per device a loose index scan over the hourly rollup's key
 * (device_id, metric, bucket) finds its metrics with one probe each, a backward probe their latest hour, then one read
 * of that hour's raw rows (one partition; readings itself would probe every partition per step); no extra table or
 * index for ingest to maintain.
 */
const PAGE_LATEST_SQL = `
  WITH RECURSIVE pairs AS (
    SELECT d.id AS device_id, f.metric FROM unnest($1::text[]) d(id) CROSS JOIN LATERAL (
      SELECT metric FROM readings_hourly r WHERE r.device_id = d.id ORDER BY metric LIMIT 1) f
    UNION ALL
    SELECT p.device_id, n.metric FROM pairs p CROSS JOIN LATERAL (
      SELECT r.metric FROM readings_hourly r WHERE r.device_id = p.device_id AND r.metric > p.metric
      ORDER BY r.metric LIMIT 1) n
  )
  SELECT p.device_id, p.metric, l.ts, l.value FROM pairs p CROSS JOIN LATERAL (
    SELECT h.bucket FROM readings_hourly h WHERE h.device_id = p.device_id AND h.metric = p.metric
    ORDER BY h.bucket DESC LIMIT 1) h CROSS JOIN LATERAL (
    SELECT ts, value FROM readings r WHERE r.device_id = p.device_id AND r.metric = p.metric
      AND r.ts >= h.bucket AND r.ts < h.bucket + interval '1 hour' ORDER BY ts DESC LIMIT 1) l`;

/** The distinct metrics of one device, one index probe each (of the hourly rollup, which has every pair). */
const METRICS_SQL = `
  WITH RECURSIVE m AS (
    (SELECT metric FROM readings_hourly WHERE device_id = $1 ORDER BY metric LIMIT 1)
    UNION ALL
    SELECT n.metric FROM m CROSS JOIN LATERAL (
      SELECT r.metric FROM readings_hourly r WHERE r.device_id = $1 AND r.metric > m.metric ORDER BY r.metric LIMIT 1) n
  )
  SELECT metric FROM m`;

/** $1 search (ILIKE pattern), $2 wanted presence, $3 offline-after seconds, $4 scopes (LIKE patterns); NULL: any. */
const ONLINE = `coalesce(d.online, d.last_seen > now() - make_interval(secs => $3))`;
const MATCH = `($1::text IS NULL OR d.id ILIKE $1 OR d.name ILIKE $1 OR d.location ILIKE $1)
  AND ($2::boolean IS NULL OR ${ONLINE} = $2)`;
const SCOPE = `($4::text[] IS NULL OR d.id LIKE ANY($4::text[]))`;
const NAME = `lower(coalesce(nullif(btrim(d.name), ''), d.id))`;
/** problems first: a firing alert, offline, low battery, silent for the offline window although presence says online */
const TROUBLE = `CASE WHEN f.device_id IS NOT NULL THEN 0 WHEN NOT ${ONLINE} THEN 1
  WHEN d.battery < ${LOW_BATTERY_PERCENT} THEN 2 WHEN d.last_seen <= now() - make_interval(secs => $3) THEN 3 ELSE 4 END`;
const ORDERS: Record<DeviceSort, string> = {
  name: NAME,
  '-name': `${NAME} DESC`,
  trouble: `${TROUBLE}, ${NAME}`,
  lastSeen: 'd.last_seen',
  '-lastSeen': 'd.last_seen DESC',
  battery: 'd.battery NULLS LAST',
  '-battery': 'd.battery DESC NULLS LAST',
};
const FIRING = `LEFT JOIN (SELECT DISTINCT device_id FROM alerts WHERE state = 'firing') f ON f.device_id = d.id`;
const pageSql = (sort: DeviceSort) => `SELECT d.* FROM devices d ${sort === 'trouble' ? FIRING : ''}
  WHERE ${MATCH} AND ${SCOPE} ORDER BY ${ORDERS[sort]}, d.id LIMIT $5 OFFSET $6`;
const COUNTS_SQL = `SELECT count(*) FILTER (WHERE ${MATCH})::int AS total, count(*)::int AS fleet_total,
  count(*) FILTER (WHERE ${ONLINE})::int AS fleet_online FROM devices d WHERE ${SCOPE}`;

interface DeviceRow {
  id: string;
  name: string | null;
  location: string | null;
  metadata: Record<string, unknown>;
  first_seen: Date;
  last_seen: Date;
  status: string | null;
  online: boolean | null;
  battery: number | null;
}

@Injectable()
export class DevicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: RuntimeSettingsService,
    private readonly mqtt: MqttService,
  ) {}

  /** One page of the devices the caller may see (scopes: LIKE-able patterns, null for all), with the counts. */
  async list(q: DevicesQueryDto, scopes: string[] | null = null): Promise<DevicesPageDto> {
    const search = q.q ? `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const presence = q.status === undefined ? null : q.status === 'online';
    const offlineAfterSeconds = this.settings.get().DEVICE_OFFLINE_AFTER_SECONDS;
    const params = [search, presence, offlineAfterSeconds, scopes && deviceScopesAsLike(scopes)];
    const [rows, [counts]] = await Promise.all([
      this.db.query<DeviceRow[]>(pageSql(q.sort ?? 'name'), [...params, q.limit, q.offset]),
      this.db.query<{ total: number; fleet_total: number; fleet_online: number }[]>(COUNTS_SQL, params),
    ]);
    const latest = rows.length
      ? groupLatest(await this.db.query<LatestRow[]>(PAGE_LATEST_SQL, [rows.map((r) => r.id)]))
      : new Map<string, Record<string, LatestValueDto>>();
    return {
      items: rows.map((r) => this.toDto(fromRow(r), latest.get(r.id))),
      total: counts.total,
      limit: q.limit,
      offset: q.offset,
      fleetTotal: counts.fleet_total,
      fleetOnline: counts.fleet_online,
      offlineAfterSeconds,
    };
  }

  async get(id: string): Promise<DeviceDto> {
    const [device, latest] = await Promise.all([
      this.db.getRepository(Device).findOneBy({ id }),
      this.db.query<LatestRow[]>(PAGE_LATEST_SQL, [[id]]),
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

  /** Removes the device and all its readings in one transaction (the rollups follow by the table's triggers). */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const { affected } = await m.delete(Device, { id });
      if (!affected) throw notFound('device');
      await m.query('DELETE FROM readings WHERE device_id = $1', [id]);
    });
  }

  /** The metrics the device has readings of. */
  async metricsOf(id: string): Promise<string[]> {
    return (await this.db.query<{ metric: string }[]>(METRICS_SQL, [id])).map((r) => r.metric);
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

function fromRow(r: DeviceRow): Device {
  return {
    id: r.id,
    name: r.name,
    location: r.location,
    metadata: r.metadata,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    status: r.status,
    online: r.online,
    battery: r.battery,
  } as Device;
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
