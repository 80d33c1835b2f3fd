import { Injectable, inject } from '@angular/core';

import { LIVE_EVENTS, LiveDevice, LiveReading, TicketResponse } from '@sensorhub/contracts';

import { API_BASE, ApiHttp } from './api-http';

/** The live stream's URL (with a ticket) and its events' decoding (/live). */
@Injectable({ providedIn: 'root' })
export class LiveClient {
  private readonly http = inject(ApiHttp);

  /** URL for an EventSource: EventSource cannot send headers, so the API hands out a short-lived ticket. */
  async liveUrl(): Promise<string> {
    const { ticket } = await this.http.post<TicketResponse>('/live/ticket', {});
    return `${API_BASE}/live?ticket=${encodeURIComponent(ticket)}`;
  }

  /** Decodes one SSE event of the live stream (`readings` or `devices`; others are ignored). */
  parseLive(type: string, data: string): { readings: LiveReading[]; devices: LiveDevice[] } {
    const rows: unknown = JSON.parse(data);
    if (!Array.isArray(rows)) return { readings: [], devices: [] };
    if (type === LIVE_EVENTS.readings) return { readings: rows as LiveReading[], devices: [] };
    if (type === LIVE_EVENTS.devices) return { readings: [], devices: rows as LiveDevice[] };
    return { readings: [], devices: [] };
  }
}
