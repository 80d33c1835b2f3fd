import { Injectable, inject } from '@angular/core';

import { ApiKeyResponse, CreatedApiKeyResponse, Role, UserResponse } from '@sensorhub/contracts';

import { ApiHttp } from './api-http';
import { ApiKey, CreatedApiKey, User } from './api.types';
import { toUser } from './session-client';

const id = (s: string) => encodeURIComponent(s);

/** What admins manage: users (/users) and API keys (/api-keys). */
@Injectable({ providedIn: 'root' })
export class AdminClient {
  private readonly http = inject(ApiHttp);

  async users(): Promise<User[]> {
    return (await this.http.get<UserResponse[]>('/users')).map(toUser);
  }

  async createUser(body: { email: string; password: string; role: Role }): Promise<User> {
    return toUser(await this.http.post<UserResponse>('/users', body));
  }

  async updateUser(userId: string, patch: { role?: Role; disabled?: boolean }): Promise<User> {
    return toUser(await this.http.patch<UserResponse>(`/users/${id(userId)}`, patch));
  }

  async resetPassword(userId: string, password: string): Promise<void> {
    await this.http.post(`/users/${id(userId)}/password`, { password });
  }

  async apiKeys(): Promise<ApiKey[]> {
    return (await this.http.get<ApiKeyResponse[]>('/api-keys')).map(toApiKey);
  }

  /** The key itself is in this answer only: the API keeps a hash. */
  async createApiKey(body: { name: string; scopes: string[]; devices?: string[] }): Promise<CreatedApiKey> {
    const created = await this.http.post<CreatedApiKeyResponse>('/api-keys', body);
    return { ...toApiKey(created), key: created.key };
  }

  async revokeApiKey(keyId: string): Promise<void> {
    await this.http.delete(`/api-keys/${id(keyId)}`);
  }
}

function toApiKey(k: ApiKeyResponse): ApiKey {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    devices: k.devices,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}
