import { useClient } from '../../testing/page-testing';
import { AdminClient } from './admin-client';

describe(AdminClient.name, () => {
  const t = useClient(AdminClient);

  it('shows a new API key once, and sends users, roles, passwords and revocations to their routes', async () => {
    const k = t.api.createApiKey({ name: 'billing', scopes: ['read'] });
    const req = t.http.expectOne('/api/v1/api-keys');
    expect(req.request.body).toEqual({ name: 'billing', scopes: ['read'] });
    req.flush({
      id: 'k1',
      name: 'billing',
      prefix: 'sh_ab',
      scopes: ['read'],
      devices: null,
      createdAt: '2026-01-15T10:30:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
      key: 'sh_ab.secret',
    });
    expect(await k).toMatchObject({ id: 'k1', prefix: 'sh_ab', key: 'sh_ab.secret', revokedAt: null });

    const u = t.api.updateUser('u/1', { role: 'admin' });
    const patch = t.http.expectOne('/api/v1/users/u%2F1');
    expect(patch.request.method).toBe('PATCH');
    patch.flush({ id: 'u/1', email: 'a@example.com', role: 'admin', disabled: false });
    expect(await u).toMatchObject({ role: 'admin', disabled: false });

    const pw = t.api.resetPassword('u1', 'a new long password');
    const post = t.http.expectOne('/api/v1/users/u1/password');
    expect(post.request.body).toEqual({ password: 'a new long password' });
    post.flush(null);
    await pw;

    const del = t.api.revokeApiKey('k1');
    const revoke = t.http.expectOne('/api/v1/api-keys/k1');
    expect(revoke.request.method).toBe('DELETE');
    revoke.flush(null);
    await del;
  });
});
