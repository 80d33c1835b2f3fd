import { Injectable, inject } from '@angular/core';

import { TokenResponse, UserResponse } from '@sensorhub/contracts';

import { ApiHttp } from './api-http';
import { ApiError, LoginResult, User } from './api.types';

/** Sign-in, renewal, sign-out and who is signed in (/auth). */
@Injectable({ providedIn: 'root' })
export class SessionClient {
  private readonly http = inject(ApiHttp);

  async login(email: string, password: string): Promise<LoginResult> {
    return toLoginResult(await this.http.post<TokenResponse>('/auth/login', { email, password }));
  }

  /**
   * Exchanges the refresh cookie for a new access token; null when the session is over (401). Rejects with the
   * ApiError when the server cannot answer now (unreachable, 429, 5xx): the session may still be good.
   */
  async refresh(): Promise<LoginResult | null> {
    try {
      return toLoginResult(await this.http.post<TokenResponse>('/auth/refresh', {}));
    } catch (e) {
      if ((e as ApiError).statusCode === 401) return null;
      throw e;
    }
  }

  async logout(): Promise<void> {
    await this.http.post('/auth/logout', {}).catch(() => undefined);
  }

  async me(): Promise<User> {
    return toUser(await this.http.get<UserResponse>('/auth/me'));
  }
}

export function toUser(u: UserResponse): User {
  return { id: u.id, email: u.email, role: u.role, disabled: u.disabled, createdAt: u.createdAt };
}

function toLoginResult(t: TokenResponse): LoginResult {
  return { accessToken: t.accessToken, expiresIn: t.expiresIn, user: toUser(t.user) };
}
