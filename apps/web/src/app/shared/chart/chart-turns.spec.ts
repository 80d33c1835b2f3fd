import { TestBed } from '@angular/core/testing';
import { NGX_ECHARTS_CONFIG } from 'ngx-echarts';

import { ChartTurns, TURN_TIMEOUT_MS } from './chart-turns';

describe(ChartTurns.name, () => {
  /** the charts whose turn came, in order */
  let drawing: string[];
  let turns: ChartTurns;
  const setup = (echarts: unknown) => {
    TestBed.configureTestingModule({ providers: [{ provide: NGX_ECHARTS_CONFIG, useValue: { echarts } }] });
    turns = TestBed.inject(ChartTurns);
  };
  const enter = (name: string) => turns.enter(() => drawing.push(name));
  const settle = () => nextMessage();

  beforeEach(() => (drawing = []));
  afterEach(() => {
    vi.useRealTimers();
    TestBed.resetTestingModule();
  });

  it('lets the first chart draw alone, then all the others together', async () => {
    setup({ init: () => undefined });
    const leave = ['a', 'b', 'c'].map(enter);
    await settle();
    expect(drawing).toEqual(['a']);
    leave[0]();
    leave[0](); // twice: nothing more
    await settle();
    expect(drawing).toEqual(['a', 'b', 'c']);
    // charts coming later (another layout): the first of them alone again
    ['d', 'e'].map(enter);
    await settle();
    expect(drawing).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets a chart gone before its turn not draw', async () => {
    setup({ init: () => undefined });
    const [leaveA, leaveB] = ['a', 'b', 'c'].map(enter);
    leaveB();
    await settle();
    leaveA();
    await settle();
    expect(drawing).toEqual(['a', 'c']);
  });

  it('waits for ECharts to load before the first turn; a first chart gone meanwhile lets the others draw', async () => {
    let loaded!: (m: unknown) => void;
    const load = vi.fn(() => new Promise((r) => (loaded = r)));
    setup(load);
    const leaveA = enter('a');
    enter('b');
    enter('c');
    await settle();
    expect(drawing).toEqual([]);
    leaveA();
    await settle();
    expect(drawing).toEqual([]);
    loaded({});
    await settle();
    expect(drawing).toEqual(['b', 'c']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('lets the others draw when the first chart does not give its turn back in time (its drawing failed)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    setup({ init: () => undefined });
    enter('a');
    enter('b');
    await nextMessage();
    expect(drawing).toEqual(['a']);
    vi.advanceTimersByTime(TURN_TIMEOUT_MS - 1);
    await nextMessage();
    expect(drawing).toEqual(['a']);
    vi.advanceTimersByTime(1);
    await nextMessage();
    expect(drawing).toEqual(['a', 'b']);
  });

  it('once ECharts has loaded, lets a first chart draw at once (in the render that creates it)', async () => {
    setup({ init: () => undefined });
    turns.prefetch();
    await settle();
    enter('a');
    expect(drawing).toEqual(['a']);
  });
});

/** resolves after the tasks queued so far (the turns hand over through a MessageChannel) */
function nextMessage(): Promise<unknown> {
  return new Promise((r) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => {
      c.port1.close();
      r(undefined);
    };
    c.port2.postMessage(null);
  });
}
