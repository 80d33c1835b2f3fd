import { Injectable, inject } from '@angular/core';

import { DeviceResponse, DevicesPageResponse } from '@sensorhub/contracts';

import { ApiHttp, query } from './api-http';
import { CommandSent, DevicePage, DevicePageQuery, DeviceSummary } from './api.types';

const path = (id: string) => `/devices/${encodeURIComponent(id)}`;

/** Devices: the searched page with fleet totals, one device, its edit and its commands (/devices). */
@Injectable({ providedIn: 'root' })
export class DevicesClient {
  private readonly http = inject(ApiHttp);

  /** A page of devices, searched and filtered by the server, with the totals. */
  async devicesPage(q: DevicePageQuery): Promise<DevicePage> {
    const page = await this.http.get<DevicesPageResponse>(
      '/devices',
      query({ limit: q.limit, offset: q.offset, q: q.q, status: q.status, sort: q.sort }),
    );
    return {
      items: page.items.map(toDevice),
      total: page.total,
      offset: page.offset,
      limit: page.limit,
      fleetTotal: page.fleetTotal,
      fleetOnline: page.fleetOnline,
      offlineAfterMs: page.offlineAfterSeconds * 1000,
    };
  }

  async device(id: string): Promise<DeviceSummary> {
    return toDevice(await this.http.get<DeviceResponse>(path(id)));
  }

  async updateDevice(
    id: string,
    patch: { name?: string | null; location?: string | null; metadata?: Record<string, unknown> },
  ): Promise<DeviceSummary> {
    return toDevice(await this.http.patch<DeviceResponse>(path(id), patch));
  }

  /** Publishes a command to the device (the broker accepted it; the device applies it when connected). */
  sendCommand(id: string, body: { command: string; seconds?: number }): Promise<CommandSent> {
    return this.http.post<CommandSent>(`${path(id)}/commands`, body);
  }
}

function toDevice(d: DeviceResponse): DeviceSummary {
  const metrics = Object.entries(d.latest)
    .map(([metric, v]) => ({ metric, value: v.value, ts: Date.parse(v.ts) }))
    .sort((a, b) => a.metric.localeCompare(b.metric));
  return {
    id: d.id,
    name: d.name,
    location: d.location,
    lastSeen: Date.parse(d.lastSeen),
    online: d.online,
    status: d.status,
    battery: d.battery,
    metrics,
    metadata: d.metadata,
  };
}
