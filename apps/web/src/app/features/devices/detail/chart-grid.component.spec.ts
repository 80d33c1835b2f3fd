import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { FakeEChart, provideFakeECharts } from '../../../../testing/fake-echarts';
import { ChartGridComponent } from './chart-grid.component';
import { ChartPanel } from './device-charts';

const t0 = Date.UTC(2026, 10, 29, 10);
const b = (t: number, min: number, avg: number, max: number) => ({ t, min, avg, max, count: 4 });

function panel(key: string, points = [b(t0, -20, -19, -18), b(t0 + 60_000, -21, -19.5, -17)]): ChartPanel {
  return {
    key,
    title: key,
    note: '',
    empty: !points.length,
    input: {
      series: [{ metric: key, unit: '°C', decimals: 1, downsampled: true, points, color: '#123456' }],
      from: t0,
      to: t0 + 120_000,
      timeZone: 'UTC',
    },
  };
}

describe(ChartGridComponent.name, () => {
  let fixture: ComponentFixture<ChartGridComponent>;
  let charts: FakeEChart[];
  const el = () => fixture.nativeElement as HTMLElement;
  const render = async () => {
    await fixture.whenStable();
    TestBed.tick();
  };
  const click = async (sel: string) => {
    el().querySelector<HTMLElement>(sel)!.click();
    await render();
  };
  const change = async (sel: string, set: (i: HTMLInputElement) => void) => {
    const i = el().querySelector<HTMLInputElement>(sel)!;
    set(i);
    i.dispatchEvent(new Event('change'));
    await render();
  };
  const yAxis = () =>
    (charts.at(-1)!.getOption()['yAxis'] as { type: string; min?: number; max?: number }[])[0];

  beforeEach(async () => {
    const fake = provideFakeECharts();
    charts = fake.charts;
    TestBed.configureTestingModule({ providers: [fake.provider, provideZonelessChangeDetection()] });
    fixture = TestBed.createComponent(ChartGridComponent);
    fixture.componentRef.setInput('charts', [panel('freezer'), panel('empty', [])]);
    fixture.componentRef.setInput('group', 'device:x');
    await render();
    await vi.waitFor(() => expect(charts.length).toBe(1));
  });

  it('shows min, max, avg and last of each series under its chart', () => {
    const cells = [...el().querySelectorAll('[data-chart=freezer] [data-testid=legend-stats] td')].map((td) =>
      td.textContent!.trim(),
    );
    expect(cells).toEqual(['-21.0', '-17.0', '-19.3', '-19.5']);
    expect(el().querySelector('[data-chart=empty] [data-testid=legend-stats]')).toBeNull();
    expect(el().querySelector('[data-chart=empty] sh-state')!.textContent).toContain(
      'No readings in this range',
    );
  });

  it('switches a panel between its chart and a data table', async () => {
    await click('[data-chart=freezer] [data-testid=table-toggle]');
    const rows = [...el().querySelectorAll('[data-chart=freezer] [data-testid=chart-table] tbody tr')].map(
      (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
    );
    expect(rows).toEqual([
      ['29 Nov 2026, 10:00:00', '-19.0', '-20.0', '-18.0'],
      ['29 Nov 2026, 10:01:00', '-19.5', '-21.0', '-17.0'],
    ]);
    expect(el().querySelector('[data-chart=freezer] sh-chart')).toBeNull();
    expect(el().querySelector('[data-chart=freezer] [data-testid=table-toggle]')!.textContent!.trim()).toBe(
      'Chart',
    );
    await click('[data-chart=freezer] [data-testid=table-toggle]');
    expect(el().querySelector('[data-chart=freezer] sh-chart')).not.toBeNull();
  });

  it('takes y limits, refuses them in the wrong order, and offers a log scale only for positive values', async () => {
    await click('[data-chart=freezer] [data-testid=axis-toggle]');
    await change('input[name=ymin]', (i) => (i.value = '-30'));
    await change('input[name=ymax]', (i) => (i.value = '0'));
    expect(yAxis()).toMatchObject({ min: -30, max: 0 });
    await change('input[name=ymin]', (i) => (i.value = '5'));
    expect(el().querySelector('[role=alert]')!.textContent).toContain(
      'The minimum must be below the maximum.',
    );
    expect(yAxis()).toMatchObject({ min: undefined, max: undefined });
    await change('input[name=ymin]', (i) => (i.value = ''));
    expect(el().querySelector('[role=alert]')).toBeNull();
    await change('input[name=ymin]', (i) => (i.value = 'abc'));
    expect(yAxis()).toMatchObject({ min: undefined, max: 0 });

    expect(el().querySelector<HTMLInputElement>('input[name=log]')!.disabled).toBe(true);
    expect(el().textContent).toContain('Log scale needs values above 0.');
    await change('input[name=band]', (i) => (i.checked = false));
    const ids = (charts.at(-1)!.getOption()['series'] as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual(['freezer']);
  });

  it('offers a log scale for positive values', async () => {
    fixture.componentRef.setInput('charts', [panel('pressure', [b(t0, 990, 1000, 1010)])]);
    await render();
    await click('[data-chart=pressure] [data-testid=axis-toggle]');
    await change('input[name=log]', (i) => (i.checked = true));
    expect(yAxis().type).toBe('log');
  });

  it('joins the charts of one device in a group and marks a chart ready once drawn', async () => {
    expect(charts[0].group).toBe('device:x');
    expect(el().querySelector('sh-chart')!.getAttribute('data-state')).toBe('loading');
    charts[0].emit('finished');
    await render();
    expect(el().querySelector('sh-chart')!.getAttribute('data-state')).toBe('ready');
    // drag-to-select switched on when the pointer comes over the chart (at each drawing it cost a second drawing),
    // on this chart alone (passed through the group, each chart added redrew all the others)
    expect(charts[0].actions).toEqual([]);
    el().querySelector('sh-chart .chart')!.dispatchEvent(new Event('pointerenter'));
    el().querySelector('sh-chart .chart')!.dispatchEvent(new Event('pointerenter'));
    expect(charts[0].actions).toEqual([
      {
        type: 'takeGlobalCursor',
        key: 'dataZoomSelect',
        dataZoomSelectActive: true,
        escapeConnect: true,
      },
    ]);
  });
});
