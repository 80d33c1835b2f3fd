import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { Provider, Type, provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { Role } from '@sensorhub/contracts';

import { SESSION_KEY } from '../app/core/auth.service';

/**
 * What every page spec sets up: a signed-in user (or none), the real HTTP client against HttpTestingController, the
 * router, zoneless change detection. `stable()` lets resources settle and the view render.
 */
export interface PageTest<T> {
  fixture: ComponentFixture<T>;
  http: HttpTestingController;
  el: () => HTMLElement;
  /** the element's text with whitespace collapsed ('' when absent) */
  text: (sel: string) => string;
  stable: () => Promise<void>;
  /** sets a field as a user typing / choosing would */
  type: (input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) => void;
  click: (sel: string) => void;
  /** answers one request with the API's error shape */
  fail: (req: TestRequest, status: number, code: string, message: string, details?: unknown) => void;
  /** http.verify(), then a clean slate for the next test */
  done: () => void;
}

/** Stores a live session as the app keeps it, so the page opens signed in (null: signed out). */
export function signIn(role: Role | null, who: { id?: string; email?: string } = {}): void {
  localStorage.clear();
  if (!role) return;
  const user = {
    id: who.id ?? `u-${role}`,
    email: who.email ?? `${role}@example.com`,
    role,
    disabled: false,
    createdAt: '2026-01-01T00:00:00Z',
  };
  localStorage.setItem(SESSION_KEY, JSON.stringify({ token: 't', expiresAt: Date.now() + 600_000, user }));
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

export function setUpPage<T>(component: Type<T>, providers: Provider[] = []): PageTest<T> {
  TestBed.configureTestingModule({
    providers: [
      provideZonelessChangeDetection(),
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      ...providers,
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(component);
  const el = () => fixture.nativeElement as HTMLElement;
  return {
    fixture,
    http,
    el,
    text: (sel) => el().querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    stable: settle,
    type: (input, value) => {
      input.value = value;
      input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input'));
    },
    click: (sel) => {
      const b = el().querySelector<HTMLElement>(sel);
      if (!b) throw new Error(`nothing matches ${sel}`);
      b.click();
    },
    fail: (req, status, code, message, details) =>
      req.flush({ statusCode: status, code, message, details }, { status, statusText: '' }),
    done: () => {
      try {
        http.verify();
      } finally {
        localStorage.clear();
        TestBed.resetTestingModule();
      }
    },
  };
}

/**
 * A resource client on the real HttpClient, answered through HttpTestingController: fresh for each test of the
 * describe block that calls it, with `http.verify()` after each.
 */
export function useClient<T>(client: Type<T>): { api: T; http: HttpTestingController } {
  const ctx = {} as { api: T; http: HttpTestingController };
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    ctx.api = TestBed.inject(client);
    ctx.http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => ctx.http.verify());
  return ctx;
}
