import { Injectable, effect, inject, signal, untracked } from '@angular/core';

import { LiveClient } from './live-client';
import { LiveAlert, LiveDevice, LiveReading } from './api.types';
import { AuthService } from './auth.service';
import { Connectivity } from './connectivity';

export type LiveStatus = 'off' | 'connecting' | 'open' | 'retrying';

export interface LiveListener {
  readings?(batch: LiveReading[]): void;
  devices?(batch: LiveDevice[]): void;
  alert?(alert: LiveAlert): void;
}

/**
 * One EventSource for the whole app, open while at least one page listens and the user is signed in.
 * Reconnects with backoff (a fresh ticket each time, since tickets are short-lived).
 */
@Injectable({ providedIn: 'root' })
export class LiveStream {
  private readonly api = inject(LiveClient);
  private readonly auth = inject(AuthService);
  private readonly connectivity = inject(Connectivity);
  private readonly listeners = new Set<LiveListener>();
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private generation = 0;

  readonly status = signal<LiveStatus>('off');

  constructor() {
    // reacts to sign-in/out only: open() reads and sets `status`, which must not re-run this (a failed ticket
    // request would otherwise retry at once, in a loop, instead of after the backoff)
    effect(() => {
      const loggedIn = this.auth.isLoggedIn();
      untracked(() => {
        if (!loggedIn) this.close();
        else if (this.listeners.size) void this.open();
      });
    });
    // the api is back: reconnect now rather than at the end of the backoff
    effect(() => {
      if (!this.connectivity.recovered()) return;
      untracked(() => {
        if (this.status() !== 'retrying' || this.source || !this.listeners.size) return;
        clearTimeout(this.retryTimer);
        this.status.set('off');
        if (this.auth.isLoggedIn()) void this.open();
      });
    });
  }

  /** Starts listening; returns the function that stops. */
  listen(l: LiveListener): () => void {
    this.listeners.add(l);
    if (this.listeners.size === 1 && this.auth.isLoggedIn()) this.open();
    return () => {
      this.listeners.delete(l);
      if (!this.listeners.size) this.close();
    };
  }

  private async open(): Promise<void> {
    if (this.source || this.status() === 'connecting') return;
    const gen = ++this.generation;
    this.status.set('connecting');
    let url: string;
    try {
      url = await this.api.liveUrl();
    } catch {
      if (gen === this.generation) this.retry();
      return;
    }
    if (gen !== this.generation || !this.listeners.size) return;
    const es = new EventSource(url, { withCredentials: true });
    this.source = es;
    es.onopen = () => {
      this.attempt = 0;
      this.status.set('open');
    };
    for (const type of ['readings', 'devices'])
      es.addEventListener(type, (ev) => this.dispatch(type, (ev as MessageEvent<string>).data));
    es.addEventListener('alert', (ev) => {
      let a: LiveAlert;
      try {
        a = JSON.parse((ev as MessageEvent<string>).data) as LiveAlert;
      } catch {
        return;
      }
      for (const l of this.listeners) l.alert?.(a);
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED || this.status() !== 'open') {
        es.close();
        if (this.source === es) this.source = null;
        this.retry();
      } else {
        this.status.set('retrying');
      }
    };
  }

  private dispatch(type: string, data: string): void {
    let msg;
    try {
      msg = this.api.parseLive(type, data);
    } catch {
      return; // heartbeats and unknown events
    }
    for (const l of this.listeners) {
      if (msg.readings.length) l.readings?.(msg.readings);
      if (msg.devices.length) l.devices?.(msg.devices);
    }
  }

  private retry(): void {
    this.status.set('retrying');
    clearTimeout(this.retryTimer);
    const delay = Math.min(30_000, 1000 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.status.set('off');
      if (this.listeners.size && this.auth.isLoggedIn()) void this.open();
    }, delay);
  }

  private close(): void {
    this.generation++;
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = null;
    this.attempt = 0;
    this.status.set('off');
  }
}
