import { Injectable } from '@nestjs/common';

import { ApiError } from '../common/errors';
import { RuntimeSettingsService } from '../config/runtime-settings.service';

/**
 * Counts failed logins per (client address, e-mail): after LOGIN_THROTTLE_LIMIT failures within LOGIN_THROTTLE_TTL_MS
 * every login for that pair answers 429 until the window ends, even with the right password. Keyed by the pair so
 * one attacker cannot lock a user out from everywhere; the global throttler still bounds each address.
 */
@Injectable()
export class LoginThrottleService {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly settings: RuntimeSettingsService) {}

  assertAllowed(key: string, now = Date.now()): void {
    const entry = this.failures.get(key);
    if (!entry) return;
    if (entry.resetAt <= now) {
      this.failures.delete(key);
      return;
    }
    if (entry.count >= this.settings.get().LOGIN_THROTTLE_LIMIT) {
      const retryAfter = Math.ceil((entry.resetAt - now) / 1000);
      throw new ApiError(
        429,
        'THROTTLED',
        'too many failed logins; try again later',
        { retryAfter },
        retryAfter,
      );
    }
  }

  fail(key: string, now = Date.now()): void {
    if (this.failures.size > 100_000) this.prune(now);
    const entry = this.failures.get(key);
    if (entry && entry.resetAt > now) entry.count++;
    else this.failures.set(key, { count: 1, resetAt: now + this.settings.get().LOGIN_THROTTLE_TTL_MS });
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [k, v] of this.failures) if (v.resetAt <= now) this.failures.delete(k);
  }
}
