import { PageTest, settle, setUpPage } from '../../../../testing/page-testing';
import { ApiKeysPage } from './api-keys.page';

const billing = {
  id: 'k1',
  name: 'billing',
  prefix: 'sh_ab12',
  scopes: ['read'],
  createdAt: '2026-01-01T00:00:00Z',
  lastUsedAt: null,
  revokedAt: null,
};

describe(ApiKeysPage.name, () => {
  let t: PageTest<ApiKeysPage>;
  let http: PageTest<ApiKeysPage>['http'];

  const el = () => t.el();
  const text = (sel: string) => t.text(sel);
  const stable = settle;
  const buttons = (sel: string) =>
    [...el().querySelectorAll(`${sel} button`)].map((b) => b.textContent!.trim());
  const form = () => el().querySelector<HTMLFormElement>('[data-testid=create-key]')!;
  const set = (sel: string, value: string | boolean) => {
    const input = form().querySelector<HTMLInputElement>(sel)!;
    if (typeof value === 'boolean') {
      input.checked = value;
      input.dispatchEvent(new Event('change'));
    } else {
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
  };

  beforeEach(async () => {
    t = setUpPage(ApiKeysPage);
    http = t.http;
    await stable();
  });
  afterEach(() => t.done());

  it('creates a key, shows it once to copy, and lists it by its prefix only', async () => {
    http.expectOne('/api/v1/api-keys').flush([]);
    await stable();
    expect(text('sh-state')).toContain('No API keys yet');

    set('input[name=name]', ' export ');
    set('input[name=write]', true);
    await stable();
    form().dispatchEvent(new Event('submit'));
    const req = http.expectOne('/api/v1/api-keys');
    expect(req.request.body).toEqual({ name: 'export', scopes: ['read', 'write'] });
    req.flush({ ...billing, id: 'k2', name: 'export', scopes: ['read', 'write'], key: 'sh_ab12.the-secret' });
    await stable();
    expect(text('[data-testid=new-key] .key')).toBe('sh_ab12.the-secret');
    expect(text('[data-key=export]')).toContain('sh_ab12…');
    expect(text('[data-testid=keys-table]')).not.toContain('the-secret');

    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    el().querySelector<HTMLButtonElement>('[data-testid=new-key] .keyrow button')!.click();
    await stable();
    expect(writeText).toHaveBeenCalledWith('sh_ab12.the-secret');
    expect(text('[data-testid=new-key] .keyrow button')).toBe('Copied');
    vi.unstubAllGlobals();

    el().querySelectorAll<HTMLButtonElement>('[data-testid=new-key] .keyrow button')[1].click(); // Done
    await stable();
    expect(el().querySelector('[data-testid=new-key]')).toBeNull();
  });

  it('needs a name and at least one scope before asking the API', async () => {
    http.expectOne('/api/v1/api-keys').flush([billing]);
    await stable();
    set('input[name=name]', 'nightly');
    set('input[name=read]', false);
    await stable();
    form().dispatchEvent(new Event('submit'));
    await stable();
    expect(text('.alert.error')).toBe('Give the key a name and at least one scope.');
  });

  it("shows the API's reason when a key cannot be created", async () => {
    http.expectOne('/api/v1/api-keys').flush([]);
    await stable();
    set('input[name=name]', 'nightly');
    await stable();
    form().dispatchEvent(new Event('submit'));
    http
      .expectOne('/api/v1/api-keys')
      .flush({ statusCode: 403, code: 'FORBIDDEN', message: 'admins only' }, { status: 403, statusText: '' });
    await stable();
    expect(text('.alert.error')).toBe('admins only');
  });

  it('revokes a key only after a second click, then marks it revoked', async () => {
    http.expectOne('/api/v1/api-keys').flush([billing]);
    await stable();
    el().querySelector<HTMLButtonElement>('[data-key=billing] .danger')!.click();
    await stable();
    expect(buttons('[data-key=billing] .actions')).toEqual(['Revoke now', 'Keep']);
    el().querySelectorAll<HTMLButtonElement>('[data-key=billing] .actions button')[1].click(); // Keep
    await stable();
    expect(buttons('[data-key=billing] .actions')).toEqual(['Revoke']);

    el().querySelector<HTMLButtonElement>('[data-key=billing] .danger')!.click();
    await stable();
    el().querySelector<HTMLButtonElement>('[data-key=billing] .danger')!.click(); // Revoke now
    const del = http.expectOne('/api/v1/api-keys/k1');
    expect(del.request.method).toBe('DELETE');
    del.flush(null);
    await stable();
    expect(text('[data-key=billing] .badge')).toBe('Revoked');
  });

  it('says why a revocation failed and keeps the key active', async () => {
    http.expectOne('/api/v1/api-keys').flush([billing]);
    await stable();
    el().querySelector<HTMLButtonElement>('[data-key=billing] .danger')!.click();
    await stable();
    el().querySelector<HTMLButtonElement>('[data-key=billing] .danger')!.click();
    http
      .expectOne('/api/v1/api-keys/k1')
      .flush({ message: 'gone' }, { status: 500, statusText: 'Server Error' });
    await stable();
    expect(text('.alert.error')).toBe('gone');
    expect(buttons('[data-key=billing] .actions')).toEqual(['Revoke']);
  });

  it('offers a retry when the keys cannot be loaded', async () => {
    http.expectOne('/api/v1/api-keys').error(new ProgressEvent('error'), { status: 0 });
    await stable();
    expect(text('sh-state')).toContain('Keys could not be loaded');
    expect(text('sh-state')).toContain('The server cannot be reached — retrying');
    el().querySelector<HTMLButtonElement>('sh-state button')!.click();
    await stable();
    http.expectOne('/api/v1/api-keys').flush([billing]);
    await stable();
    expect(text('[data-key=billing]')).toContain('billing');
  });
});
