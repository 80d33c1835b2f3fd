import { PageTest, settle, setUpPage, signIn } from '../../../../testing/page-testing';
import { UsersPage } from './users.page';

const me = {
  id: 'u1',
  email: 'ada@example.com',
  role: 'admin',
  disabled: false,
  createdAt: '2026-01-01T00:00:00Z',
};
const bob = {
  id: 'u2',
  email: 'bob@example.com',
  role: 'viewer',
  disabled: false,
  createdAt: '2026-01-02T00:00:00Z',
};

describe(UsersPage.name, () => {
  let t: PageTest<UsersPage>;
  let http: PageTest<UsersPage>['http'];

  const el = () => t.el();
  const text = (sel: string) => t.text(sel);
  const stable = settle;
  const row = (email: string) => el().querySelector(`[data-user="${email}"]`)!;
  const type = (input: HTMLInputElement | HTMLSelectElement, value: string) => t.type(input, value);

  beforeEach(async () => {
    signIn('admin', me);
    t = setUpPage(UsersPage);
    http = t.http;
    await stable();
  });
  afterEach(() => t.done());

  async function loaded(users = [me, bob]): Promise<void> {
    expect(text('sh-state')).toContain('Loading users');
    http.expectOne('/api/v1/users').flush(users);
    await stable();
  }

  it('lists the users; the signed-in admin cannot change their own role or disable themselves', async () => {
    await loaded();
    expect(text('[data-user="ada@example.com"] td')).toBe('ada@example.com you');
    expect(row('ada@example.com').querySelector('select')!.disabled).toBe(true);
    expect(text('[data-user="ada@example.com"] .actions')).toBe('Reset password');
    expect(text('[data-user="bob@example.com"] .actions')).toBe('Reset password Disable');
    expect(text('[data-user="bob@example.com"] .badge')).toBe('Active');
  });

  it('adds a user, refusing a password under 12 characters first', async () => {
    await loaded();
    const form = el().querySelector<HTMLFormElement>('[data-testid=create-user]')!;
    type(form.querySelector('input[name=email]')!, ' cy@example.com ');
    type(form.querySelector('input[name=password]')!, 'short');
    type(form.querySelector('select[name=role]')!, 'operator');
    form.dispatchEvent(new Event('submit'));
    await stable();
    expect(text('.alert')).toBe('The password needs at least 12 characters.');

    type(form.querySelector('input[name=password]')!, 'long enough password');
    form.dispatchEvent(new Event('submit'));
    const req = http.expectOne('/api/v1/users');
    expect(req.request.body).toEqual({
      email: 'cy@example.com',
      password: 'long enough password',
      role: 'operator',
    });
    req.flush({ id: 'u3', email: 'cy@example.com', role: 'operator' });
    await stable();
    expect(text('.alert')).toBe('cy@example.com can now sign in as operator.');
    expect(row('cy@example.com')).not.toBeNull();
  });

  it("shows the API's reason when a user cannot be added", async () => {
    await loaded();
    const form = el().querySelector<HTMLFormElement>('[data-testid=create-user]')!;
    type(form.querySelector('input[name=email]')!, 'ada@example.com');
    type(form.querySelector('input[name=password]')!, 'long enough password');
    form.dispatchEvent(new Event('submit'));
    http
      .expectOne('/api/v1/users')
      .flush(
        { statusCode: 409, code: 'EMAIL_TAKEN', message: 'that email is taken' },
        { status: 409, statusText: '' },
      );
    await stable();
    expect(text('.alert.error')).toBe('that email is taken');
  });

  it("changes a user's role and disables them; a refused change shows why and reloads the list", async () => {
    await loaded();
    type(row('bob@example.com').querySelector('select')!, 'operator');
    const role = http.expectOne('/api/v1/users/u2');
    expect(role.request.body).toEqual({ role: 'operator' });
    role.flush({ ...bob, role: 'operator' });
    await stable();

    row('bob@example.com').querySelector<HTMLButtonElement>('.actions .danger')!.click();
    const disable = http.expectOne('/api/v1/users/u2');
    expect(disable.request.body).toEqual({ disabled: true });
    disable.flush({ ...bob, role: 'operator', disabled: true });
    await stable();
    expect(text('[data-user="bob@example.com"] .badge')).toBe('Disabled');
    expect(text('[data-user="bob@example.com"] .actions')).toContain('Enable');

    row('bob@example.com').querySelectorAll<HTMLButtonElement>('.actions button')[1].click();
    http
      .expectOne('/api/v1/users/u2')
      .flush(
        { statusCode: 409, code: 'LAST_ADMIN', message: 'cannot change that user' },
        { status: 409, statusText: '' },
      );
    await stable();
    expect(text('.alert.error')).toBe('cannot change that user');
    http.expectOne('/api/v1/users').flush([me, { ...bob, disabled: true }]);
    await stable();
  });

  it("resets a user's password inline and confirms it; the API's rule message shows on a refusal", async () => {
    await loaded();
    row('bob@example.com').querySelector<HTMLButtonElement>('.actions button')!.click();
    await stable();
    const form = el().querySelector<HTMLFormElement>('[data-reset="bob@example.com"] form')!;
    type(form.querySelector('input')!, 'too short');
    form.dispatchEvent(new Event('submit'));
    http
      .expectOne('/api/v1/users/u2/password')
      .flush(
        { statusCode: 400, code: 'VALIDATION_FAILED', message: 'password too short' },
        { status: 400, statusText: '' },
      );
    await stable();
    expect(text('[data-reset="bob@example.com"] .alert.error')).toBe('password too short');

    type(form.querySelector('input')!, 'a much longer password');
    form.dispatchEvent(new Event('submit'));
    const req = http.expectOne('/api/v1/users/u2/password');
    expect(req.request.body).toEqual({ password: 'a much longer password' });
    req.flush(null);
    await stable();
    expect(text('[data-reset="bob@example.com"] .alert.success')).toContain(
      'bob@example.com signs in with the new one',
    );
  });

  it('offers a retry when the list cannot be loaded, with the reason', async () => {
    http
      .expectOne('/api/v1/users')
      .flush(
        { statusCode: 503, code: 'DATABASE_UNAVAILABLE', message: 'database unavailable' },
        { status: 503, statusText: '' },
      );
    await stable();
    expect(text('sh-state')).toContain('Users could not be loaded');
    expect(text('sh-state')).toContain('database unavailable');
    el().querySelector<HTMLButtonElement>('sh-state button')!.click();
    await stable();
    http.expectOne('/api/v1/users').flush([]);
    await stable();
    expect(text('sh-state')).toContain('No users');
  });
});
