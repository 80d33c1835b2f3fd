import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { AdminClient } from './admin-client';
import { authInterceptor } from './auth.interceptor';
import { AuthService, SESSION_KEY } from './auth.service';

const user = { id: 'u1', email: 'ada@example.com', role: 'operator' as const };

describe(AuthService.name, () => {
  let http: HttpTestingController;
  let router: Router;

  function setup(): AuthService {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    vi.spyOn(router, 'navigate').mockResolvedValue(true);
    return TestBed.inject(AuthService);
  }

  async function login(auth: AuthService, expiresIn = 900): Promise<void> {
    const p = auth.login(' ada@example.com ', 'secret-password');
    const req = http.expectOne('/api/v1/auth/login');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'secret-password' });
    req.flush({ accessToken: 'tok-1', expiresIn, user });
    await p;
  }

  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    TestBed.resetTestingModule();
  });

  it('keeps the session after login and exposes the user and role', async () => {
    const auth = setup();
    await login(auth);
    expect(auth.isLoggedIn()).toBe(true);
    expect(auth.token()).toBe('tok-1');
    expect(auth.user()?.email).toBe('ada@example.com');
    expect(auth.can('viewer')).toBe(true);
    expect(auth.can('operator')).toBe(true);
    expect(auth.can('admin')).toBe(false);
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!).token).toBe('tok-1');
  });

  it('restores an unexpired session on reload and drops an expired one', () => {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ token: 'old', expiresAt: Date.now() + 60_000, user }));
    expect(setup().token()).toBe('old');
    TestBed.resetTestingModule();

    localStorage.setItem(SESSION_KEY, JSON.stringify({ token: 'old', expiresAt: Date.now() - 1, user }));
    const auth = setup();
    expect(auth.isLoggedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('sends the bearer token on API requests through the interceptor', async () => {
    const auth = setup();
    await login(auth);
    const api = TestBed.inject(AdminClient);
    const p = api.users();
    const req = http.expectOne('/api/v1/users');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok-1');
    req.flush([]);
    await expect(p).resolves.toEqual([]);
  });

  it('on a 401 renews once, retries the request with the new token', async () => {
    const auth = setup();
    await login(auth);
    const p = TestBed.inject(AdminClient).users();
    http
      .expectOne('/api/v1/users')
      .flush(
        { statusCode: 401, code: 'UNAUTHORIZED', message: 'expired' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await vi.waitFor(() =>
      http.expectOne('/api/v1/auth/refresh').flush({ accessToken: 'tok-2', expiresIn: 900, user }),
    );
    await vi.waitFor(() => {
      const retry = http.expectOne('/api/v1/users');
      expect(retry.request.headers.get('Authorization')).toBe('Bearer tok-2');
      retry.flush([]);
    });
    await expect(p).resolves.toEqual([]);
    expect(auth.token()).toBe('tok-2');
  });

  it('when renewal fails on a 401, ends the session and sends the user to login remembering the page', async () => {
    const auth = setup();
    await login(auth);
    vi.spyOn(router, 'url', 'get').mockReturnValue('/devices/a1?range=7d');
    const p = TestBed.inject(AdminClient).users();
    http
      .expectOne('/api/v1/users')
      .flush(
        { statusCode: 401, code: 'UNAUTHORIZED', message: 'expired' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await vi.waitFor(() =>
      http
        .expectOne('/api/v1/auth/refresh')
        .flush(
          { statusCode: 401, code: 'UNAUTHORIZED', message: 'no' },
          { status: 401, statusText: 'Unauthorized' },
        ),
    );
    await expect(p).rejects.toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    expect(auth.isLoggedIn()).toBe(false);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { returnUrl: '/devices/a1?range=7d', reason: 'expired' },
    });
  });

  it('renews the token shortly before it expires, and ends the session at expiry if it cannot', async () => {
    const auth = setup();
    await login(auth, 300);
    vi.spyOn(router, 'url', 'get').mockReturnValue('/devices');
    await vi.advanceTimersByTimeAsync(239_000);
    http.expectNone('/api/v1/auth/refresh');
    await vi.advanceTimersByTimeAsync(1000);
    http
      .expectOne('/api/v1/auth/refresh')
      .flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    await vi.advanceTimersByTimeAsync(1);
    expect(auth.isLoggedIn()).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(auth.isLoggedIn()).toBe(false);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { returnUrl: '/devices', reason: 'expired' },
    });
  });

  it('renews a 30 s token every 20 s: once per renewal, never in a loop', async () => {
    const auth = setup();
    await login(auth, 30);
    for (let i = 2; i <= 4; i++) {
      await vi.advanceTimersByTimeAsync(19_900);
      http.expectNone('/api/v1/auth/refresh');
      await vi.advanceTimersByTimeAsync(100);
      http.expectOne('/api/v1/auth/refresh').flush({ accessToken: `tok-${i}`, expiresIn: 30, user });
      await vi.advanceTimersByTimeAsync(0);
      expect(auth.token()).toBe(`tok-${i}`);
    }
  });

  it('keeps the session while the server cannot answer a renewal, and renews once it can (backoff)', async () => {
    const auth = setup();
    await login(auth, 30);
    await vi.advanceTimersByTimeAsync(20_000);
    http.expectOne('/api/v1/auth/refresh').error(new ProgressEvent('error'), { status: 0 });
    await vi.advanceTimersByTimeAsync(2000);
    http
      .expectOne('/api/v1/auth/refresh')
      .flush({ message: 'slow down' }, { status: 429, statusText: 'Too Many Requests' });
    await vi.advanceTimersByTimeAsync(3999);
    http.expectNone('/api/v1/auth/refresh');
    await vi.advanceTimersByTimeAsync(60_000 - 5999); // far past the token's expiry: still signed in
    expect(auth.isLoggedIn()).toBe(true);
    http.match('/api/v1/auth/refresh').forEach((r) => r.error(new ProgressEvent('error'), { status: 0 }));
    await vi.advanceTimersByTimeAsync(30_000);
    http.expectOne('/api/v1/auth/refresh').flush({ accessToken: 'tok-2', expiresIn: 30, user });
    await vi.advanceTimersByTimeAsync(0);
    expect(auth.token()).toBe('tok-2');
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('a 401 while the server cannot renew fails that request but keeps the session', async () => {
    const auth = setup();
    await login(auth);
    const p = TestBed.inject(AdminClient).users();
    http
      .expectOne('/api/v1/users')
      .flush({ message: 'expired' }, { status: 401, statusText: 'Unauthorized' });
    await vi.waitFor(() =>
      http.expectOne('/api/v1/auth/refresh').error(new ProgressEvent('error'), { status: 0 }),
    );
    await expect(p).rejects.toMatchObject({ statusCode: 401 });
    expect(auth.isLoggedIn()).toBe(true);
  });

  it('logout clears the session and returns to the login page', async () => {
    const auth = setup();
    await login(auth);
    const p = auth.logout();
    http.expectOne('/api/v1/auth/logout').flush({});
    await p;
    expect(auth.isLoggedIn()).toBe(false);
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    expect(router.navigate).toHaveBeenCalledWith(['/login']);
  });
});
