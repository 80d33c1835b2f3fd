import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { LoginPage } from './login.page';

const user = { id: 'u1', email: 'ada@example.com', role: 'viewer' };

describe(LoginPage.name, () => {
  let fixture: ComponentFixture<LoginPage>;
  let http: HttpTestingController;
  let navigated: string[];

  beforeEach(() => {
    localStorage.clear();
    navigated = [];
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockImplementation(async (url) => {
      navigated.push(String(url));
      return true;
    });
    fixture = TestBed.createComponent(LoginPage);
  });
  afterEach(() => http.verify());

  const el = () => fixture.nativeElement as HTMLElement;
  async function signIn(email: string, password: string): Promise<void> {
    await fixture.whenStable();
    for (const [name, value] of [
      ['email', email],
      ['password', password],
    ]) {
      const input = el().querySelector<HTMLInputElement>(`input[name=${name}]`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    el().querySelector('form')!.dispatchEvent(new Event('submit'));
  }
  async function answer(body: object, init?: { status: number; statusText: string }): Promise<void> {
    await vi.waitFor(() => http.expectOne('/api/v1/auth/login').flush(body, init));
    await fixture.whenStable();
  }
  const error = () => el().querySelector('[data-testid=login-error]')?.textContent?.trim();

  it('asks for both fields before calling the server', async () => {
    await signIn('ada@example.com', '');
    await fixture.whenStable();
    expect(error()).toBe('Enter your email and password.');
  });

  it('goes back to the page the user came from after signing in', async () => {
    fixture.componentRef.setInput('returnUrl', '/devices/gh-1?range=7d');
    await signIn('ada@example.com', 'correct horse battery');
    await answer({ accessToken: 't', expiresIn: 900, user });
    expect(navigated).toEqual(['/devices/gh-1?range=7d']);
  });

  it('never follows a return URL to another site', async () => {
    fixture.componentRef.setInput('returnUrl', '//evil.example/phish');
    await signIn('ada@example.com', 'correct horse battery');
    await answer({ accessToken: 't', expiresIn: 900, user });
    expect(navigated).toEqual(['/devices']);
  });

  it('says why a sign-in failed: wrong credentials, too many attempts, or no server', async () => {
    await signIn('ada@example.com', 'wrong');
    await answer(
      { statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'no' },
      { status: 401, statusText: '' },
    );
    expect(error()).toBe('Email or password is not correct, or the account is disabled.');
    // the focus moves to the message, not back to <body>
    expect(document.activeElement).toBe(el().querySelector('[data-testid=login-error]'));

    await signIn('ada@example.com', 'wrong');
    await answer(
      { statusCode: 429, code: 'TOO_MANY_REQUESTS', message: 'slow down' },
      { status: 429, statusText: '' },
    );
    expect(error()).toBe('Too many attempts. Wait a minute and try again.');

    await signIn('ada@example.com', 'wrong');
    await vi.waitFor(() =>
      http.expectOne('/api/v1/auth/login').error(new ProgressEvent('error'), { status: 0 }),
    );
    await fixture.whenStable();
    expect(error()).toBe('The server cannot be reached. Check your connection and try again.');

    await signIn('ada@example.com', 'wrong');
    await answer({ statusCode: 500, code: 'INTERNAL', message: 'boom' }, { status: 500, statusText: '' });
    expect(error()).toBe('Sign-in failed: boom');
    expect(navigated).toEqual([]);
  });

  it('tells a user sent back here that their session ended', async () => {
    fixture.componentRef.setInput('reason', 'expired');
    await fixture.whenStable();
    expect(el().querySelector('.alert.info')!.textContent).toContain('Your session has ended');
  });
});
