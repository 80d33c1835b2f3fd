import { Injectable, signal } from '@angular/core';

/** One shared ticking "now" for relative times ("12 s ago"), so the whole page re-renders once a second, not per row. */
@Injectable({ providedIn: 'root' })
export class Clock {
  private readonly tick = signal(Date.now());
  readonly now = this.tick.asReadonly();

  constructor() {
    setInterval(() => this.tick.set(Date.now()), 1000);
  }
}

export function relativeTime(t: number | null, now: number): string {
  if (t === null) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}
