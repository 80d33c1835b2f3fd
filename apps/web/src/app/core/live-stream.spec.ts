import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { LiveClient } from './live-client';
import { AuthService } from './auth.service';
import { LiveStream } from './live-stream';

/** A stand-in for the browser's EventSource: the test opens, fails and feeds it. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly handlers = new Map<string, (ev: { data: string }) => void>();

  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (ev: { data: string }) => void): void {
    this.handlers.set(type, fn);
  }
  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  emit(type: string, data: unknown): void {
    this.handlers.get(type)?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

describe(LiveStream.name, () => {
  const loggedIn = signal(true);
  let tickets: number;
  let ticketFails: boolean;
  let asked: number;
  let live: LiveStream;

  const last = () => FakeEventSource.all.at(-1)!;
  const flush = async () => {
    await vi.advanceTimersByTimeAsync(0);
    TestBed.tick();
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubGlobal('EventSource', FakeEventSource);
    FakeEventSource.all = [];
    loggedIn.set(true);
    tickets = 0;
    ticketFails = false;
    asked = 0;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: AuthService, useValue: { isLoggedIn: loggedIn } },
        {
          provide: LiveClient,
          useValue: {
            liveUrl: async () => {
              asked++;
              if (ticketFails) throw new Error('network');
              return `/api/v1/live?ticket=t${++tickets}`;
            },
            parseLive: LiveClient.prototype.parseLive,
          },
        },
      ],
    });
    live = TestBed.inject(LiveStream);
    TestBed.tick(); // the app creates it at start-up, before any page listens
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    TestBed.resetTestingModule();
  });

  it('opens one stream while a page listens, hands each page the readings and device updates, closes after the last', async () => {
    expect(live.status()).toBe('off');
    const a = { readings: vi.fn(), devices: vi.fn() };
    const b = { readings: vi.fn() };
    const stopA = live.listen(a);
    const stopB = live.listen(b);
    await flush();
    expect(FakeEventSource.all.map((s) => s.url)).toEqual(['/api/v1/live?ticket=t1']);
    expect(live.status()).toBe('connecting');
    last().open();
    expect(live.status()).toBe('open');

    const ts = new Date(1000).toISOString();
    last().emit('readings', [{ deviceId: 'gh-1', metric: 'temperature', ts, value: 21 }]);
    last().emit('devices', [{ id: 'gh-1', lastSeen: ts, online: true }]);
    last().emit('readings', 'heartbeat, not JSON');
    expect(a.readings).toHaveBeenCalledExactlyOnceWith([
      { deviceId: 'gh-1', metric: 'temperature', ts, value: 21 },
    ]);
    expect(b.readings).toHaveBeenCalledTimes(1);
    expect(a.devices).toHaveBeenCalledExactlyOnceWith([{ id: 'gh-1', lastSeen: ts, online: true }]);

    stopA();
    expect(last().closed).toBe(false);
    stopB();
    expect(last().closed).toBe(true);
    expect(live.status()).toBe('off');
  });

  it('reconnects after the stream drops, with a fresh ticket and a growing pause', async () => {
    live.listen({});
    await flush();
    last().open();
    last().readyState = FakeEventSource.CLOSED;
    last().onerror!();
    expect(live.status()).toBe('retrying');
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.all.map((s) => s.url)).toEqual([
      '/api/v1/live?ticket=t1',
      '/api/v1/live?ticket=t2',
    ]);

    // fails again before opening: the next pause is twice as long
    last().onerror!();
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeEventSource.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.all).toHaveLength(3);
    last().open();
    expect(live.status()).toBe('open');
  });

  it('keeps an open stream through a transient error (the browser reconnects it itself)', async () => {
    live.listen({});
    await flush();
    last().open();
    last().onerror!();
    expect(live.status()).toBe('retrying');
    expect(last().closed).toBe(false);
    last().open();
    expect(live.status()).toBe('open');
    expect(FakeEventSource.all).toHaveLength(1);
  });

  it('retries when no ticket can be had, and opens once the API answers again', async () => {
    ticketFails = true;
    live.listen({});
    await flush();
    expect(live.status()).toBe('retrying');
    expect(FakeEventSource.all).toHaveLength(0);
    ticketFails = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeEventSource.all).toHaveLength(1);
  });

  it('closes when the user signs out and opens again when they sign back in', async () => {
    live.listen({});
    await flush();
    last().open();
    loggedIn.set(false);
    await flush();
    expect(last().closed).toBe(true);
    expect(live.status()).toBe('off');

    loggedIn.set(true);
    await flush();
    expect(FakeEventSource.all).toHaveLength(2);
    expect(last().url).toBe('/api/v1/live?ticket=t2');
  });

  it('signing in while the API is down asks for a ticket once per pause, not in a loop', async () => {
    loggedIn.set(false);
    live.listen({});
    await flush();
    ticketFails = true;
    loggedIn.set(true);
    await flush();
    await flush();
    expect(asked).toBe(1);
    expect(live.status()).toBe('retrying');
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(asked).toBe(2);
  });

  it('opens nothing for a signed-out user', async () => {
    loggedIn.set(false);
    live.listen({});
    await flush();
    expect(FakeEventSource.all).toHaveLength(0);
    expect(live.status()).toBe('off');
  });
});
