import { Injectable, inject } from '@angular/core';

import {
  DeadLetterResponse,
  DeadLettersPageResponse,
  ReasonCountResponse,
  ReplayedResponse,
} from '@sensorhub/contracts';

import { ApiHttp, ms, query } from './api-http';
import { DeadLetter, DeadLetterFilter, DeadLetterPage, ReasonCount, Replayed } from './api.types';

/** Messages ingest could not store: the filtered page, counts by reason, and replay (/dead-letters). */
@Injectable({ providedIn: 'root' })
export class DeadLettersClient {
  private readonly http = inject(ApiHttp);

  async deadLetters(f: DeadLetterFilter, limit: number, offset: number): Promise<DeadLetterPage> {
    const page = await this.http.get<DeadLettersPageResponse>('/dead-letters', filter(f, { limit, offset }));
    return { items: page.items.map(toDeadLetter), total: page.total, limit: page.limit, offset: page.offset };
  }

  async deadLetterSummary(f: DeadLetterFilter): Promise<ReasonCount[]> {
    return this.http.get<ReasonCountResponse[]>('/dead-letters/summary', filter(f));
  }

  async replayDeadLetter(id: string): Promise<Replayed> {
    const r = await this.http.post<ReplayedResponse>(`/dead-letters/${encodeURIComponent(id)}/replay`, {});
    return { topic: r.topic, payloadSize: r.payloadSize, replayCount: r.replayCount };
  }
}

function filter(f: DeadLetterFilter, page: { limit?: number; offset?: number } = {}) {
  return query({
    ...page,
    reason: f.reason,
    device: f.device,
    from: f.from === undefined ? undefined : new Date(f.from).toISOString(),
    to: f.to === undefined ? undefined : new Date(f.to).toISOString(),
  });
}

function toDeadLetter(d: DeadLetterResponse): DeadLetter {
  return { ...d, receivedAt: Date.parse(d.receivedAt), replayedAt: ms(d.replayedAt) };
}
