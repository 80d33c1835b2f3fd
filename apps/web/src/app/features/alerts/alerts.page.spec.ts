import { TestRequest } from '@angular/common/http/testing';

import { AlertResponse } from '@sensorhub/contracts';

import { PageTest, setUpPage, signIn } from '../../../testing/page-testing';
import { LiveStream } from '../../core/live-stream';
import { AlertsPage } from './alerts.page';

const alert = (id: string, extra: Partial<AlertResponse> = {}): AlertResponse => ({
  id,
  ruleId: 'r1',
  ruleName: 'Too warm',
  deviceId: 'gh-1',
  deviceName: null,
  metric: 'temperature',
  severity: 'critical',
  state: 'firing',
  value: 31.5,
  threshold: 30,
  thresholdHigh: null,
  startedAt: '2026-01-15T10:00:00.000Z',
  firedAt: '2026-01-15T10:05:00.000Z',
  resolvedAt: null,
  acknowledgedBy: null,
  acknowledgedByEmail: null,
  acknowledgedAt: null,
  ackNote: null,
  ...extra,
});
const page = (items: AlertResponse[], total = items.length) => ({
  items,
  total,
  firing: { critical: 1, warning: 0, info: 0 },
});

describe(AlertsPage.name, () => {
  let t: PageTest<AlertsPage>;
  // the live stream is the app's EventSource; these tests drive the page through HTTP only
  const live = { provide: LiveStream, useValue: { listen: () => () => undefined } };

  /** the page's own list request (the top-bar badge asks for state=firing with limit 500) */
  const list = (): TestRequest => {
    const badge = t.http.match((r) => r.url === '/api/v1/alerts' && r.params.get('limit') === '500');
    badge.forEach((b) => b.flush(page([])));
    return t.http.expectOne((r) => r.url === '/api/v1/alerts' && r.params.get('limit') === '50');
  };
  const rows = () => [...t.el().querySelectorAll('tr[data-alert]')];

  async function open(role: 'operator' | 'viewer'): Promise<void> {
    signIn(role);
    t = setUpPage(AlertsPage, [live]);
    await t.stable();
    expect(t.text('sh-state')).toContain('Loading alerts');
    t.http.expectOne('/api/v1/metrics/catalog').flush({
      metrics: [{ name: 'temperature', displayName: 'Temperature', unit: '°C', decimals: 1 }],
    });
  }
  afterEach(() => t.done());

  it('names each device by its display name with its id beneath, or by its id when it has no name', async () => {
    await open('viewer');
    list().flush(page([alert('a1', { deviceName: 'Greenhouse 1' }), alert('a2', { deviceId: 'gh-2' })]));
    await t.stable();
    expect(t.text('[data-alert=a1] [data-label=Device] a')).toBe('Greenhouse 1');
    expect(t.text('[data-alert=a1] [data-label=Device] .device-id')).toBe('gh-1');
    expect(t.text('[data-alert=a2] [data-label=Device] a')).toBe('gh-2');
    expect(t.el().querySelector('[data-alert=a2] [data-label=Device] .device-id')).toBeNull();
  });

  it('lets an operator acknowledge a firing alert with a note, then shows who acknowledged it', async () => {
    await open('operator');
    list().flush(page([alert('a1'), alert('a2', { state: 'resolved', ruleName: 'Dry soil' })]));
    await t.stable();
    expect(rows().map((r) => r.getAttribute('data-rule'))).toEqual(['Too warm', 'Dry soil']);
    // the metric by its catalog name, the value with its unit
    expect(t.text('[data-alert=a1] [data-testid=alert-value]')).toBe('Temperature 31.5 °C');
    // a resolved alert has nothing left to acknowledge
    expect(rows()[1].querySelector('[data-testid=ack]')).toBeNull();

    t.click('[data-alert=a1] [data-testid=ack]');
    await t.stable();
    t.type(t.el().querySelector<HTMLInputElement>('[data-testid=ack-note]')!, '  opened the vent ');
    t.el().querySelector('form.ack')!.dispatchEvent(new Event('submit'));
    const ack = t.http.expectOne('/api/v1/alerts/a1/acknowledge');
    expect(ack.request.body).toEqual({ note: 'opened the vent' });
    ack.flush(
      alert('a1', { acknowledgedByEmail: 'operator@example.com', acknowledgedAt: '2026-01-15T10:06:00Z' }),
    );
    await t.stable();
    expect(t.text('.alert.success')).toBe('Acknowledged Too warm on gh-1.');

    list().flush(
      page([
        alert('a1', {
          acknowledgedByEmail: 'operator@example.com',
          acknowledgedAt: '2026-01-15T10:06:00Z',
          ackNote: 'opened the vent',
        }),
      ]),
    );
    await t.stable();
    expect(t.text('[data-alert=a1] [data-testid=acked]')).toBe('operator@example.com');
    expect(t.text('[data-alert=a1] .note')).toBe('“opened the vent”');
    expect(t.el().querySelector('[data-alert=a1] [data-testid=ack]')).toBeNull();
  });

  it('sends no note when none is typed, and says why an acknowledgement was refused', async () => {
    await open('operator');
    list().flush(page([alert('a1')]));
    await t.stable();
    t.click('[data-testid=ack]');
    await t.stable();
    t.el().querySelector('form.ack')!.dispatchEvent(new Event('submit'));
    const ack = t.http.expectOne('/api/v1/alerts/a1/acknowledge');
    expect(ack.request.body).toEqual({});
    t.fail(ack, 404, 'NOT_FOUND', 'alert a1 not found');
    await t.stable();
    expect(t.text('.alert.error')).toBe('alert a1 not found');
    // the form stays open to try again
    expect(t.el().querySelector('form.ack')).not.toBeNull();
  });

  it('shows a viewer the alerts without any way to acknowledge them', async () => {
    await open('viewer');
    list().flush(page([alert('a1')]));
    await t.stable();
    expect(rows()).toHaveLength(1);
    expect(t.el().querySelector('[data-testid=ack]')).toBeNull();
  });

  it('filters by state from the first page, and pages through the rest', async () => {
    await open('viewer');
    list().flush(page([alert('a1')], 120));
    await t.stable();
    expect(t.text('.pager span')).toBe('1–1 of 120');
    const [prev, next] = t.el().querySelectorAll<HTMLButtonElement>('.pager button');
    expect(prev.disabled).toBe(true);
    next.click();
    await t.stable();
    const second = list();
    expect(second.request.params.get('offset')).toBe('50');
    second.flush(page([alert('a2')], 120));
    await t.stable();

    t.type(t.el().querySelector<HTMLSelectElement>('[data-testid=filter-state]')!, 'pending');
    await t.stable();
    const filtered = list();
    expect(filtered.request.params.get('state')).toBe('pending');
    expect(filtered.request.params.get('offset')).toBe('0');
    filtered.flush(page([]));
    await t.stable();
    expect(t.text('sh-state')).toContain('No alerts');
    expect(t.text('sh-state')).toContain('Nothing matches these filters.');
  });

  it('offers a retry with the reason when the alerts cannot be loaded', async () => {
    await open('viewer');
    t.fail(list(), 503, 'DATABASE_UNAVAILABLE', 'PostgreSQL cannot be reached');
    await t.stable();
    expect(t.text('sh-state')).toContain('Alerts could not be loaded');
    expect(t.text('sh-state')).toContain('PostgreSQL cannot be reached');
    t.click('sh-state button');
    await t.stable();
    list().flush(page([alert('a1')]));
    await t.stable();
    expect(rows()).toHaveLength(1);
  });
});
