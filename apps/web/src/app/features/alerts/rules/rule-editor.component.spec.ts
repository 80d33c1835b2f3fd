import { TestRequest } from '@angular/common/http/testing';

import { ruleJson } from '../../../../testing/alert-rule-json';
import { FakeEChart, provideFakeECharts } from '../../../../testing/fake-echarts';
import { PageTest, setUpPage, signIn } from '../../../../testing/page-testing';
import { AlertRule } from '../../../core/api.types';
import { RuleEditorComponent } from './rule-editor.component';

const existing: AlertRule = {
  id: 'r1',
  name: 'Out of band',
  scope: 'device',
  scopeDeviceId: 'gh-1',
  metric: 'temperature',
  condition: 'outside',
  threshold: 10,
  thresholdHigh: 20,
  clearThreshold: 11,
  durationSeconds: 60,
  severity: 'critical',
  enabled: true,
  actions: [{ type: 'webhook', url: 'https://example.com/hook' }],
  updatedAt: 0,
};
const transition = (kind: 'firing' | 'resolved', at: string, value: number) => ({ kind, at, value });

describe(RuleEditorComponent.name, () => {
  let t: PageTest<RuleEditorComponent>;
  let charts: FakeEChart[];
  const field = (f: string) => t.el().querySelector<HTMLInputElement>(`[data-field=${f}]`)!;
  const submit = () => t.el().querySelector('form')!.dispatchEvent(new Event('submit'));
  const buttonNamed = (label: string) =>
    [...t.el().querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === label)!;

  async function open(rule: AlertRule | null, devices: string[] = ['gh-1', 'gh-2']): Promise<void> {
    signIn('operator');
    const fake = provideFakeECharts();
    charts = fake.charts;
    t = setUpPage(RuleEditorComponent, [fake.provider]);
    t.fixture.componentRef.setInput('rule', rule);
    t.fixture.componentRef.setInput('devices', devices);
    await t.stable();
    t.http.expectOne('/api/v1/metrics/catalog').flush({
      metrics: [{ name: 'temperature', displayName: 'Temperature', unit: '°C', decimals: 1 }],
    });
    await t.stable();
  }
  afterEach(() => t.done());

  it("opens a rule with its values, and saves the changes to that rule's route", async () => {
    await open(existing);
    expect(t.text('h2')).toBe('Edit rule “Out of band”');
    expect(field('thresholdHigh').value).toBe('20');
    expect(field('clearThreshold').value).toBe('11');
    expect(t.el().querySelector<HTMLInputElement>('[data-action="0"] input')!.value).toBe(
      'https://example.com/hook',
    );
    expect(t.text('[data-testid=rule-save]')).toBe('Save changes');
    t.type(field('thresholdHigh'), '22');
    await t.stable();
    submit();
    const patch = t.http.expectOne('/api/v1/alert-rules/r1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toMatchObject({ condition: 'outside', threshold: 10, thresholdHigh: 22 });
    let saved: AlertRule | undefined;
    t.fixture.componentInstance.saved.subscribe((r) => (saved = r));
    patch.flush(ruleJson('r1', { name: 'Out of band', thresholdHigh: 22 }));
    await t.stable();
    expect(saved).toMatchObject({ id: 'r1', thresholdHigh: 22 });
  });

  it("marks each field the API refused, actions included, and shows any other failure's message", async () => {
    await open(null);
    t.type(field('name'), 'Hook');
    buttonNamed('+ Webhook').click();
    buttonNamed('+ MQTT publish').click();
    await t.stable();
    t.type(t.el().querySelector<HTMLInputElement>('[data-action="0"] input')!, 'not a url');
    t.el().querySelector<HTMLButtonElement>('[data-action="1"] button')!.click();
    await t.stable();
    submit();
    const post = t.http.expectOne('/api/v1/alert-rules');
    expect(post.request.body.actions).toEqual([{ type: 'webhook', url: 'not a url' }]);
    t.fail(post, 400, 'VALIDATION_FAILED', 'Validation failed', [
      { field: 'metric', errors: ['metric must not be empty'] },
      { field: 'actions[0].url', errors: ['must be an http(s) URL', 'must not be private'] },
    ]);
    await t.stable();
    expect(t.text('[data-testid=rule-error]')).toBe('Please correct the marked fields.');
    expect(t.text('[data-field=metric] + datalist + .field-error')).toBe('metric must not be empty');
    expect(t.text('[data-action="0"] .field-error')).toBe('url: must be an http(s) URL; must not be private');

    submit();
    t.fail(t.http.expectOne('/api/v1/alert-rules'), 409, 'CONFLICT', 'a rule with that name exists');
    await t.stable();
    expect(t.text('[data-testid=rule-error]')).toBe('a rule with that name exists');
    expect(t.el().querySelector('.field-error')).toBeNull();
  });

  it('previews the draft: how often it would have fired, and the chart of the device it fired on', async () => {
    await open(existing);
    buttonNamed('Preview').click();
    await t.stable();
    const replay = t.http.expectOne('/api/v1/alert-rules/preview');
    const { from, to } = replay.request.body as { from: string; to: string };
    expect(Date.parse(to) - Date.parse(from)).toBe(86_400_000);
    replay.flush({
      from,
      to,
      readings: 1234,
      truncated: true,
      devices: [
        { deviceId: 'gh-1', transitions: [] },
        {
          deviceId: 'gh-2',
          transitions: [
            transition('firing', '2026-01-15T10:00:00Z', 21),
            transition('resolved', '2026-01-15T10:30:00Z', 15),
          ],
        },
      ],
    });
    await t.stable();
    expect(t.text('[data-testid=preview-summary]')).toBe(
      '1,234 readings replayed: would have fired 1 time on 1 device (range truncated: choose a shorter one).',
    );
    const series = t.http.expectOne((r) => r.url === '/api/v1/devices/gh-2/readings');
    expect(series.request.params.get('metric')).toBe('temperature');
    series.flush({
      deviceId: 'gh-2',
      metric: 'temperature',
      from,
      to,
      tz: null,
      bucketSeconds: null,
      points: [{ ts: '2026-01-15T10:00:00Z', min: 21, avg: 21, max: 21, count: 1 }],
    });
    await t.stable();
    expect([...t.el().querySelectorAll('.moments li')].map((li) => li.className)).toEqual([
      'firing',
      'resolved',
    ]);
    const drawn = JSON.stringify(charts.at(-1)!.option);
    for (const line of ['low 10', 'high 20', 'clears 11']) expect(drawn).toContain(line);

    // another device, then a shorter range
    t.type(t.el().querySelector<HTMLSelectElement>('[aria-label=Device]')!, 'gh-1');
    await t.stable();
    t.http
      .expectOne((r) => r.url === '/api/v1/devices/gh-1/readings')
      .flush({
        deviceId: 'gh-1',
        metric: 'temperature',
        from,
        to,
        tz: null,
        bucketSeconds: null,
        points: [],
      });
    await t.stable();
    expect(t.el().querySelectorAll('.moments li')).toHaveLength(0);
    buttonNamed('1 h').click();
    await t.stable();
    const hour: TestRequest = t.http.expectOne('/api/v1/alert-rules/preview');
    const b = hour.request.body as { from: string; to: string };
    expect(Date.parse(b.to) - Date.parse(b.from)).toBe(3_600_000);
    hour.flush({ from: b.from, to: b.to, readings: 0, truncated: false, devices: [] });
    await t.stable();
    expect(t.text('[data-testid=preview-summary]')).toBe('0 readings replayed: would not have fired.');
  });

  it('marks the fields a refused preview names', async () => {
    await open(null);
    buttonNamed('Preview').click();
    await t.stable();
    t.fail(t.http.expectOne('/api/v1/alert-rules/preview'), 400, 'VALIDATION_FAILED', 'Validation failed', [
      { field: 'scopeDeviceId', errors: ['scopeDeviceId must not be empty'] },
    ]);
    await t.stable();
    expect(t.text('[data-testid=rule-error]')).toBe('Please correct the marked fields.');
    expect(t.el().querySelector('[data-field=scopeDeviceId]')!.parentElement!.textContent).toContain(
      'scopeDeviceId must not be empty',
    );
  });
});
