import { Injectable, inject } from '@angular/core';
import { NGX_ECHARTS_CONFIG } from 'ngx-echarts';

/** a first chart not drawn by then (its drawing failed) lets the others draw all the same */
export const TURN_TIMEOUT_MS = 1000;

/**
 * When a page's charts draw: not before ECharts has loaded (else every chart waiting for it drew in one long task when
 * it came), and the first chart alone, so it is on screen and marked drawn before the others start; then all the
 * others, each in a task of its own (ngx-echarts starts each chart from a timer). One at a time throughout cost a
 * frame per chart (~30 ms each on a dozen charts); a dozen at once left the first waiting for the last.
 */
@Injectable({ providedIn: 'root' })
export class ChartTurns {
  private readonly config = inject(NGX_ECHARTS_CONFIG);
  private readonly waiting: (() => void)[] = [];
  /** the chart drawing alone: the others wait until it gives its turn back */
  private first: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loaded: Promise<unknown> | null = null;
  /** ECharts has loaded (or failed to) */
  private ready = false;
  /** a new task, without the nesting clamp of chained timers (4 ms each after five) */
  private readonly channel = new MessageChannel();

  constructor() {
    this.channel.port1.onmessage = () => this.letAllDraw();
  }

  /**
   * Asks for a chart's turn to draw: `go` runs when it comes. The answer gives the turn back (first drawing done, or
   * the chart gone); calling it again does nothing.
   */
  enter(go: () => void): () => void {
    let left = false;
    const turn = () => !left && go();
    const start = () => {
      this.timer = setTimeout(() => this.first === turn && this.pass(), TURN_TIMEOUT_MS);
      go();
    };
    if (this.first || this.waiting.length) this.waiting.push(turn);
    else if (this.ready) {
      // ECharts is there: drawn in the render that creates the chart, not one later
      this.first = turn;
      start();
    } else {
      this.first = turn;
      void this.echarts().then(() => this.first === turn && start()); // unless given back meanwhile
    }
    return () => {
      if (left) return;
      left = true;
      if (this.first === turn) this.pass();
    };
  }

  private pass(): void {
    clearTimeout(this.timer);
    this.first = null;
    this.channel.port2.postMessage(null);
  }

  private letAllDraw(): void {
    if (this.first) return;
    const all = this.waiting.splice(0);
    void this.echarts().then(() => all.forEach((go) => go()));
  }

  /** starts loading ECharts (a chart page, beside its data), so that its first chart can draw as soon as it renders */
  prefetch(): void {
    void this.echarts();
  }

  /** the lazy ECharts import (the app's), loaded once; a failed load lets the charts try (and say so) themselves */
  private echarts(): Promise<unknown> {
    const { echarts } = this.config;
    return (this.loaded ??= (
      typeof echarts === 'function' ? echarts().catch(() => undefined) : Promise.resolve(echarts)
    ).then(() => (this.ready = true)));
  }
}
