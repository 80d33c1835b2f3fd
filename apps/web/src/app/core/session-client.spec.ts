import { useClient } from '../../testing/page-testing';
import { SessionClient } from './session-client';

describe(SessionClient.name, () => {
  const t = useClient(SessionClient);

  it('treats a refused renewal as no session, an unreachable server as a failure, a failed logout as logged out', async () => {
    const r = t.api.refresh();
    t.http
      .expectOne('/api/v1/auth/refresh')
      .flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    await expect(r).resolves.toBeNull();

    const down = t.api.refresh();
    t.http.expectOne('/api/v1/auth/refresh').error(new ProgressEvent('error'), { status: 0 });
    await expect(down).rejects.toMatchObject({ code: 'NETWORK' });

    const l = t.api.logout();
    t.http.expectOne('/api/v1/auth/logout').error(new ProgressEvent('error'), { status: 0 });
    await expect(l).resolves.toBeUndefined();
  });
});
