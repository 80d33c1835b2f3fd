import { TestBed } from '@angular/core/testing';
import { NGX_ECHARTS_CONFIG } from 'ngx-echarts';

import { prefetchECharts } from './chart.component';

describe(prefetchECharts.name, () => {
  const run = (echarts: unknown) => {
    TestBed.configureTestingModule({ providers: [{ provide: NGX_ECHARTS_CONFIG, useValue: { echarts } }] });
    TestBed.runInInjectionContext(() => prefetchECharts());
  };
  afterEach(() => TestBed.resetTestingModule());

  it('starts the lazy ECharts import once, and a failed fetch stays quiet (the chart retries it)', async () => {
    const load = vi.fn(() => Promise.reject(new Error('offline')));
    run(load);
    expect(load).toHaveBeenCalledTimes(1);
    await Promise.resolve(); // no unhandled rejection
  });

  it('leaves a library provided as is (tests) alone', () => {
    expect(() => run({ init: () => undefined })).not.toThrow();
  });
});
