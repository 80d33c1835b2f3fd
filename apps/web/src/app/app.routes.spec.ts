import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';

import { AppComponent } from './app.component';
import { routes } from './app.routes';
import { AlertsState } from './core/alerts-state';
import { AlertItem } from './core/api.types';
import { authInterceptor } from './core/auth.interceptor';
import { SESSION_KEY } from './core/auth.service';
import { LiveStatus, LiveStream } from './core/live-stream';

const admin = { id: 'u1', email: 'ada@example.com', role: 'admin' as const };
const viewer = { id: 'u2', email: 'vic@example.com', role: 'viewer' as const };
const unauthorized = { status: 401, statusText: 'Unauthorized' };

describe('app routes', () => {
  let http: HttpTestingController;
  let router: Router;
  const liveStatus = signal<LiveStatus>('off');

  const signedInAs = (user: typeof admin | typeof viewer) =>
    localStorage.setItem(
      SESSION_KEY,
      JSON.stringify({ token: 'tok', expiresAt: Date.now() + 600_000, user }),
    );
  const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
  /** answers the next request to `url` once the app has made it */
  const answer = (url: string, body: object, opts?: { status: number; statusText: string }) =>
    vi.waitFor(() => http.expectOne(url).flush(body, opts));
  const type = (input: HTMLInputElement, value: string) => {
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };

  beforeEach(() => {
    localStorage.clear();
    liveStatus.set('off');
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter(routes, withComponentInputBinding()),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: LiveStream, useValue: { status: liveStatus, listen: () => () => undefined } },
        { provide: AlertsState, useValue: { firing: signal([]), changes: signal(0) } },
      ],
    });
  });
  afterEach(() => {
    try {
      // the devices pages fetch the metric catalog; these tests run without one
      for (const r of http.match('/api/v1/metrics/catalog'))
        r.flush({}, { status: 404, statusText: 'Not Found' });
      http.verify();
    } finally {
      TestBed.resetTestingModule();
    }
  });

  async function harness(): Promise<RouterTestingHarness> {
    const h = await RouterTestingHarness.create();
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    return h;
  }

  it('sends a signed-out visitor to login and, once signed in, back to the page they asked for', async () => {
    const h = await harness();
    const nav = h.navigateByUrl('/admin/users');
    await answer('/api/v1/auth/refresh', { message: 'no session' }, unauthorized);
    await nav;
    expect(router.url).toBe('/login?returnUrl=%2Fadmin%2Fusers');

    const form: HTMLFormElement = h.routeNativeElement!.querySelector('form')!;
    type(form.querySelector('input[name=email]')!, 'ada@example.com');
    type(form.querySelector('input[name=password]')!, 'correct horse battery');
    h.detectChanges();
    form.dispatchEvent(new Event('submit'));
    await answer('/api/v1/auth/login', { accessToken: 'tok-1', expiresIn: 900, user: admin });
    await answer('/api/v1/users', [{ ...admin, createdAt: '2026-01-01T00:00:00.000Z' }]);
    await vi.waitFor(() => expect(router.url).toBe('/admin/users'));
    await h.fixture.whenStable();
    expect(text(h.routeNativeElement!.querySelector('[data-testid=users-table]')!)).toContain(
      'ada@example.com',
    );
  });

  it('lets a session kept by the refresh cookie in without a login', async () => {
    const h = await harness();
    const nav = h.navigateByUrl('/admin/api-keys');
    await answer('/api/v1/auth/refresh', { accessToken: 'tok-2', expiresIn: 900, user: admin });
    await answer('/api/v1/api-keys', []);
    await nav;
    expect(router.url).toBe('/admin/api-keys');
  });

  it('sends a viewer who opens an admin page to the devices overview, marked as denied', async () => {
    signedInAs(viewer);
    const h = await harness();
    const nav = h.navigateByUrl('/admin/users');
    await nav;
    expect(router.url).toBe('/devices?denied=1');
    await vi.waitFor(() =>
      http
        .expectOne((r) => r.url === '/api/v1/devices')
        .flush({
          items: [],
          total: 0,
          offset: 0,
          limit: 120,
          fleetTotal: 0,
          fleetOnline: 0,
          offlineAfterSeconds: 300,
        }),
    );
  });

  it('login is the only page without the sign-in check; unknown paths go to the overview', async () => {
    const h = await harness();
    await h.navigateByUrl('/login');
    expect(router.url).toBe('/login');
    const nav = h.navigateByUrl('/no/such/page');
    await answer('/api/v1/auth/refresh', { message: 'no session' }, unauthorized);
    await nav;
    expect(router.url).toBe('/login?returnUrl=%2Fdevices');
  });
});

describe(AppComponent.name, () => {
  const liveStatus = signal<LiveStatus>('off');
  const firing = signal<AlertItem[]>([]);

  function render(user: typeof admin | typeof viewer | null) {
    localStorage.clear();
    if (user)
      localStorage.setItem(
        SESSION_KEY,
        JSON.stringify({ token: 'tok', expiresAt: Date.now() + 600_000, user }),
      );
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: LiveStream, useValue: { status: liveStatus } },
        { provide: AlertsState, useValue: { firing, changes: signal(0) } },
      ],
    });
    const fixture = TestBed.createComponent(AppComponent);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }
  afterEach(() => TestBed.resetTestingModule());

  it('shows an admin every section, their email and role', () => {
    const el = render(admin);
    const nav = [...el.querySelectorAll('nav a')].map((a) => a.textContent!.trim());
    expect(nav).toEqual(['Devices', 'Alerts', 'Dead letters', 'Users', 'API keys']);
    expect(el.querySelector('.email')!.textContent).toBe('ada@example.com');
    expect(el.querySelector('[data-testid=role]')!.textContent).toBe('admin');
  });

  it('shows a viewer only the devices, and whether live updates are flowing', () => {
    liveStatus.set('retrying');
    const el = render(viewer);
    expect([...el.querySelectorAll('nav a')].map((a) => a.textContent!.trim())).toEqual([
      'Devices',
      'Alerts',
    ]);
    expect(el.querySelector('[data-testid=live]')!.textContent!.trim()).toBe('Reconnecting');
    liveStatus.set('off');
  });

  it('counts firing alerts in the top bar, coloured by the worst severity', () => {
    const alert = (severity: AlertItem['severity']) => ({ severity, deviceId: 'd' }) as AlertItem;
    firing.set([alert('warning'), alert('critical')]);
    const el = render(viewer);
    const badge = el.querySelector('[data-testid=alert-badge]')!;
    expect(badge.textContent!.trim()).toBe('2');
    expect(badge.classList).toContain('critical');
    firing.set([]);
  });

  it('shows no header to a signed-out visitor', () => {
    const el = render(null);
    expect(el.querySelector('header')).toBeNull();
    expect(el.querySelector('main')!.classList).toContain('bare');
  });
});
