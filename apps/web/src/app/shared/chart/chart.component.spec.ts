import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NGX_ECHARTS_CONFIG } from 'ngx-echarts';

import { prefetchECharts } from './chart.component';

describe(prefetchECharts.name, () => {
  const run = (echarts: unknown, after?: () => boolean) => {
    TestBed.configureTestingModule({
      providers: [{ provide: NGX_ECHARTS_CONFIG, useValue: { echarts } }, provideZonelessChangeDetection()],
    });
    TestBed.runInInjectionContext(() => prefetchECharts(after));
  };
  afterEach(() => {
    vi.useRealTimers();
    TestBed.resetTestingModule();
  });

  it('starts the lazy ECharts import once, and a failed fetch stays quiet (the chart retries it)', async () => {
    const load = vi.fn(() => Promise.reject(new Error('offline')));
    run(load);
    expect(load).toHaveBeenCalledTimes(1);
    await Promise.resolve(); // no unhandled rejection
  });

  it('leaves a library provided as is (tests) alone', () => {
    expect(() => run({ init: () => undefined })).not.toThrow();
  });

  it('with a condition, starts once it holds and the page has been painted since', () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'setTimeout'] });
    const load = vi.fn(() => Promise.resolve({}));
    const headerShown = signal(false);
    run(load, headerShown);
    TestBed.tick();
    vi.advanceTimersByTime(100);
    expect(load).not.toHaveBeenCalled();
    headerShown.set(true);
    TestBed.tick();
    expect(load).not.toHaveBeenCalled(); // rendered, not yet painted
    vi.advanceTimersByTime(100); // a frame, then a task
    expect(load).toHaveBeenCalledTimes(1);
    headerShown.set(false);
    headerShown.set(true);
    TestBed.tick();
    vi.advanceTimersByTime(100);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
