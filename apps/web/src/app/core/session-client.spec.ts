import { HttpTestingController } from '@angular/common/http/testing';

import { setUpClient } from '../../testing/page-testing';
import { SessionClient } from './session-client';

describe(SessionClient.name, () => {
  let api: SessionClient;
  let http: HttpTestingController;

  beforeEach(() => ({ api, http } = setUpClient(SessionClient)));
  afterEach(() => http.verify());

  it('treats a refused renewal as no session, an unreachable server as a failure, a failed logout as logged out', async () => {
    const r = api.refresh();
    http
      .expectOne('/api/v1/auth/refresh')
      .flush({ message: 'no' }, { status: 401, statusText: 'Unauthorized' });
    await expect(r).resolves.toBeNull();

    const down = api.refresh();
    http.expectOne('/api/v1/auth/refresh').error(new ProgressEvent('error'), { status: 0 });
    await expect(down).rejects.toMatchObject({ code: 'NETWORK' });

    const l = api.logout();
    http.expectOne('/api/v1/auth/logout').error(new ProgressEvent('error'), { status: 0 });
    await expect(l).resolves.toBeUndefined();
  });
});
