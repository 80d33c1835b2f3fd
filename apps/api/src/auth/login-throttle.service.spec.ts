import { ApiError } from '../common/errors';
import { RuntimeSettingsService } from '../config/runtime-settings.service';
import { LoginThrottleService } from './login-throttle.service';

describe(LoginThrottleService.name, () => {
  const settings = {
    get: () => ({ LOGIN_THROTTLE_LIMIT: 3, LOGIN_THROTTLE_TTL_MS: 60_000 }),
  } as RuntimeSettingsService;

  it('refuses the pair after the limit of failures with Retry-After until the window ends', () => {
    const t = new LoginThrottleService(settings);
    for (let i = 0; i < 3; i++) {
      t.assertAllowed('ip|a@x', 1000);
      t.fail('ip|a@x', 1000);
    }
    try {
      t.assertAllowed('ip|a@x', 11_000);
      throw new Error('not throttled');
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).retryAfter).toBe(50);
    }
    expect(() => t.assertAllowed('ip|b@x', 11_000)).not.toThrow();
    expect(() => t.assertAllowed('ip|a@x', 61_000)).not.toThrow();
  });

  it('forgets failures after a successful login', () => {
    const t = new LoginThrottleService(settings);
    t.fail('k', 0);
    t.fail('k', 0);
    t.succeed('k');
    t.fail('k', 0);
    t.fail('k', 0);
    expect(() => t.assertAllowed('k', 0)).not.toThrow();
  });
});
