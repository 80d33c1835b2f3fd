import { ruleJson } from '../../../../testing/alert-rule-json';
import { PageTest, setUpPage, signIn } from '../../../../testing/page-testing';
import { AlertRulesPage } from './alert-rules.page';

describe(AlertRulesPage.name, () => {
  let t: PageTest<AlertRulesPage>;
  const rows = () => [...t.el().querySelectorAll<HTMLElement>('tr[data-rule]')];
  const cells = (name: string) =>
    [...t.el().querySelectorAll(`tr[data-rule="${name}"] td`)].map((c) => c.textContent!.trim());
  const button = (name: string, label: string) =>
    [...t.el().querySelectorAll<HTMLButtonElement>(`tr[data-rule="${name}"] button`)].find(
      (b) => b.textContent!.trim() === label,
    )!;

  async function open(role: 'operator' | 'viewer', rules: object[]): Promise<void> {
    signIn(role);
    t = setUpPage(AlertRulesPage);
    await t.stable();
    expect(t.text('sh-state')).toContain('Loading rules');
    t.http
      .expectOne((r) => r.url === '/api/v1/devices')
      .flush({
        items: [],
        total: 0,
        limit: 200,
        offset: 0,
        fleetTotal: 0,
        fleetOnline: 0,
        offlineAfterSeconds: 300,
      });
    t.http.expectOne('/api/v1/alert-rules').flush(rules);
    await t.stable();
  }
  const reload = async (rules: object[]) => {
    t.http.expectOne('/api/v1/alert-rules').flush(rules);
    await t.stable();
  };
  afterEach(() => {
    vi.restoreAllMocks();
    t.done();
  });

  it('describes each rule: its scope, its condition with clear threshold and duration, and whether it is on', async () => {
    await open('operator', [
      ruleJson('a', { name: 'Too warm', clearThreshold: 28, durationSeconds: 60, severity: 'critical' }),
      ruleJson('b', {
        name: 'Out of band',
        scope: 'metadata',
        scopeDeviceId: null,
        scopeKey: 'site',
        scopeValue: 'north',
        condition: 'outside',
        threshold: 10,
        thresholdHigh: 20,
      }),
      ruleJson('c', {
        name: 'Silent',
        scope: 'all',
        condition: 'no_data',
        threshold: null,
        noDataSeconds: 300,
      }),
      ruleJson('d', { name: 'Jumpy', condition: 'rate', threshold: 2, enabled: false }),
    ]);
    expect(rows().map((r) => r.dataset['rule'])).toEqual(['Too warm', 'Out of band', 'Silent', 'Jumpy']);
    expect(cells('Too warm').slice(1, 5)).toEqual([
      'gh-1',
      'temperature above 30, clears past 28 for 60 s',
      'critical',
      'yes',
    ]);
    expect(cells('Out of band').slice(1, 3)).toEqual(['site = north', 'temperature outside 10 – 20']);
    expect(cells('Silent').slice(1, 3)).toEqual(['all devices', 'temperature no data for 300 s']);
    expect(cells('Jumpy').slice(2, 5)).toEqual(['temperature changes by more than 2/min', 'warning', 'no']);
    expect(rows()[3].classList).toContain('off');
    expect(button('Jumpy', 'Enable')).toBeDefined();
  });

  it('disables a rule and says so; a refused change shows the reason', async () => {
    await open('operator', [ruleJson('a', { name: 'Too warm' })]);
    button('Too warm', 'Disable').click();
    const patch = t.http.expectOne('/api/v1/alert-rules/a');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ enabled: false });
    patch.flush(ruleJson('a', { name: 'Too warm', enabled: false }));
    await t.stable();
    expect(t.text('.alert.success')).toBe('Disabled rule “Too warm”.');
    await reload([ruleJson('a', { name: 'Too warm', enabled: false })]);
    expect(cells('Too warm')[4]).toBe('no');

    button('Too warm', 'Enable').click();
    t.fail(t.http.expectOne('/api/v1/alert-rules/a'), 403, 'FORBIDDEN', 'operators only');
    await t.stable();
    expect(t.text('.alert.error')).toBe('operators only');
    expect(button('Too warm', 'Enable').disabled).toBe(false);
  });

  it('deletes a rule only after the user confirms', async () => {
    await open('operator', [ruleJson('a', { name: 'Too warm' })]);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    button('Too warm', 'Delete').click();
    await t.stable();
    expect(confirm).toHaveBeenCalledWith('Delete rule “Too warm” and its alerts?');
    t.http.expectNone('/api/v1/alert-rules/a');

    confirm.mockReturnValue(true);
    button('Too warm', 'Delete').click();
    const del = t.http.expectOne('/api/v1/alert-rules/a');
    expect(del.request.method).toBe('DELETE');
    del.flush(null);
    await t.stable();
    expect(t.text('.alert.success')).toBe('Deleted rule “Too warm”.');
    await reload([]);
    expect(t.text('sh-state')).toContain('Create one with “New rule”.');
  });

  it('shows a viewer the rules read-only: no new rule, no enable or delete, a disabled editor', async () => {
    await open('viewer', [ruleJson('a', { name: 'Too warm' })]);
    expect(t.el().querySelector('[data-testid=new-rule]')).toBeNull();
    expect(cells('Too warm')[5]).toBe('View');
    button('Too warm', 'View').click();
    await t.stable();
    t.http.expectOne('/api/v1/metrics/catalog').flush({ metrics: [] });
    await t.stable();
    expect(t.text('[data-testid=rule-editor] h2')).toBe('Alert rule');
    expect(t.el().querySelector<HTMLFieldSetElement>('[data-testid=rule-editor] fieldset')!.disabled).toBe(
      true,
    );
    expect(t.el().querySelector<HTMLInputElement>('[data-field=name]')!.value).toBe('Too warm');
    expect(t.el().querySelector('[data-testid=rule-save]')).toBeNull();
  });

  it('tells a viewer with no rules that an operator can create one', async () => {
    await open('viewer', []);
    expect(t.text('sh-state')).toContain('No alert rules');
    expect(t.text('sh-state')).toContain('An operator can create one.');
  });

  it('creates a rule from the editor, closes it and lists the new rule', async () => {
    await open('operator', []);
    t.click('[data-testid=new-rule]');
    await t.stable();
    t.http.expectOne('/api/v1/metrics/catalog').flush({ metrics: [] });
    await t.stable();
    expect(t.text('[data-testid=rule-editor] h2')).toBe('New alert rule');
    expect(t.el().querySelector('[data-testid=new-rule]')).toBeNull();
    const field = (f: string) => t.el().querySelector<HTMLInputElement>(`[data-field=${f}]`)!;
    t.type(field('name'), 'Too warm');
    t.type(field('scopeDeviceId'), 'gh-1');
    t.type(field('metric'), 'temperature');
    t.type(field('threshold'), '30');
    await t.stable();
    t.el().querySelector('[data-testid=rule-editor]')!.dispatchEvent(new Event('submit'));
    const post = t.http.expectOne('/api/v1/alert-rules');
    expect(post.request.body).toMatchObject({ name: 'Too warm', scopeDeviceId: 'gh-1', threshold: 30 });
    post.flush(ruleJson('n', { name: 'Too warm' }));
    await t.stable();
    expect(t.text('.alert.success')).toBe('Saved rule “Too warm”.');
    expect(t.el().querySelector('[data-testid=rule-editor]')).toBeNull();
    await reload([ruleJson('n', { name: 'Too warm' })]);
    expect(rows()).toHaveLength(1);
  });

  it('offers a retry with the reason when the rules cannot be loaded', async () => {
    signIn('operator');
    t = setUpPage(AlertRulesPage);
    await t.stable();
    t.http
      .expectOne((r) => r.url === '/api/v1/devices')
      .flush('', { status: 502, statusText: 'Bad Gateway' });
    t.fail(
      t.http.expectOne('/api/v1/alert-rules'),
      503,
      'DATABASE_UNAVAILABLE',
      'PostgreSQL cannot be reached',
    );
    await t.stable();
    expect(t.text('sh-state')).toContain('Rules could not be loaded');
    expect(t.text('sh-state')).toContain('PostgreSQL cannot be reached');
    t.click('sh-state button');
    await t.stable();
    await reload([ruleJson('a')]);
    expect(rows()).toHaveLength(1);
  });
});
