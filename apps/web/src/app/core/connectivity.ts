import { HttpClient } from '@angular/common/http';
import { Injectable, effect, inject, signal, untracked } from '@angular/core';

import { API_BASE } from './api-http';

/** probe the api this often while it cannot be reached, doubling up to the cap */
const PROBE_MIN_MS = 1000;
const PROBE_MAX_MS = 5000;

/** Statuses that mean the api itself cannot answer (down, or a proxy in front of it says so). */
export const isUnreachable = (status: number): boolean =>
  status === 0 || status === 502 || status === 503 || status === 504;

/**
 * Whether the api can be reached, from what every request and the live stream see. While it cannot, what pages show
 * is stale: they say so, and this service probes the api's health with backoff until it answers, so everything
 * recovers by itself (`recovered` ticks; pages reload what failed).
 */
@Injectable({ providedIn: 'root' })
export class Connectivity {
  private readonly http = inject(HttpClient);
  private probeTimer: ReturnType<typeof setTimeout> | undefined;

  /** when the api stopped answering (epoch ms); null while it answers */
  readonly lostAt = signal<number | null>(null);
  /** counts the returns of the api after an outage */
  readonly recovered = signal(0);

  /** a request or the live stream could not reach the api */
  lost(): void {
    if (this.lostAt() !== null) return;
    this.lostAt.set(Date.now());
    this.probe(PROBE_MIN_MS);
  }

  /** something answered */
  reached(): void {
    if (this.lostAt() === null) return;
    clearTimeout(this.probeTimer);
    this.lostAt.set(null);
    this.recovered.update((n) => n + 1);
  }

  private probe(delay: number): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      this.http.get(`${API_BASE}/health`).subscribe({
        next: () => this.reached(),
        // the api's own 503 (a dependency down) has a JSON body: it answers, so what it serves is current
        error: (e: { status?: number; error?: unknown }) =>
          isUnreachable(e.status ?? 0) && !(e.status === 503 && typeof e.error === 'object' && e.error)
            ? this.probe(Math.min(PROBE_MAX_MS, delay * 2))
            : this.reached(),
      });
    }, delay);
  }
}

/**
 * In a component's injection context: when the api is back after an outage, reloads each of these resources that
 * failed, so the page recovers by itself (no "Try again" click).
 */
export function reloadAfterOutage(...resources: { error(): unknown; reload(): unknown }[]): void {
  const connectivity = inject(Connectivity);
  effect(() => {
    if (!connectivity.recovered()) return;
    untracked(() => resources.filter((r) => r.error()).forEach((r) => r.reload()));
  });
}
