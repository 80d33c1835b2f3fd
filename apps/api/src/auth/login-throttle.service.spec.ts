import { ApiError } from '../common/errors';
import { RuntimeSettingsService } from '../config/runtime-settings.service';
import { LoginThrottleService } from './login-throttle.service';

describe(LoginThrottleService.name, () => {
  const settings = {
    get: () => ({ LOGIN_THROTTLE_LIMIT: 3, LOGIN_THROTTLE_ADDRESS_LIMIT: 5, LOGIN_THROTTLE_TTL_MS: 60_000 }),
  } as RuntimeSettingsService;

  const retryAfterOf = (fn: () => void): number | undefined => {
    try {
      fn();
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      return (e as ApiError).retryAfter;
    }
  };

  it('refuses the pair after the limit of failures with Retry-After until the window ends', () => {
    const t = new LoginThrottleService(settings);
    for (let i = 0; i < 3; i++) {
      t.assertAllowed('ip|a@x', 'ip', 1000);
      t.fail('ip|a@x', 'ip', 1000);
    }
    expect(retryAfterOf(() => t.assertAllowed('ip|a@x', 'ip', 11_000))).toBe(50);
    expect(() => t.assertAllowed('ip|b@x', 'ip', 11_000)).not.toThrow();
    expect(() => t.assertAllowed('ip|a@x', 'ip', 61_000)).not.toThrow();
  });

  it('refuses an address that failed on many e-mails (spraying), whatever the e-mail, and not other addresses', () => {
    const t = new LoginThrottleService(settings);
    for (let i = 0; i < 5; i++) {
      t.assertAllowed(`ip|u${i}@x`, 'ip', 0);
      t.fail(`ip|u${i}@x`, 'ip', 0);
    }
    expect(retryAfterOf(() => t.assertAllowed('ip|new@x', 'ip', 1000))).toBe(59);
    expect(() => t.assertAllowed('other|new@x', 'other', 1000)).not.toThrow();
  });

  it('forgets the pair’s failures after a successful login, but not the address’s', () => {
    const t = new LoginThrottleService(settings);
    t.fail('k', 'ip', 0);
    t.fail('k', 'ip', 0);
    t.succeed('k');
    t.fail('k', 'ip', 0);
    t.fail('k', 'ip', 0);
    expect(() => t.assertAllowed('k', 'ip', 0)).not.toThrow();
    t.fail('k2', 'ip', 0);
    expect(retryAfterOf(() => t.assertAllowed('k3', 'ip', 0))).toBe(60);
  });
});
