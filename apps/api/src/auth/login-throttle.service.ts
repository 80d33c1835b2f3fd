import { Injectable } from '@nestjs/common';

import { ApiError } from '../common/errors';
import { RuntimeSettingsService } from '../config/runtime-settings.service';

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Failed logins within LOGIN_THROTTLE_TTL_MS, counted twice:
 * - per (client address, e-mail): after LOGIN_THROTTLE_LIMIT failures that pair answers 429 until its window ends,
 *   even with the right password (guessing one account). Keyed by the pair so one attacker cannot lock a user out
 *   from everywhere.
 * - per client address across e-mails: after LOGIN_THROTTLE_ADDRESS_LIMIT failures every login from the address
 *   answers 429 (password spraying: one password tried on many accounts). A success does not reset this count.
 */
@Injectable()
export class LoginThrottleService {
  private readonly pairs = new Map<string, Window>();
  private readonly addresses = new Map<string, Window>();

  constructor(private readonly settings: RuntimeSettingsService) {}

  assertAllowed(pair: string, address: string, now = Date.now()): void {
    const s = this.settings.get();
    check(this.pairs, pair, s.LOGIN_THROTTLE_LIMIT, now);
    check(this.addresses, address, s.LOGIN_THROTTLE_ADDRESS_LIMIT, now);
  }

  fail(pair: string, address: string, now = Date.now()): void {
    const ttl = this.settings.get().LOGIN_THROTTLE_TTL_MS;
    count(this.pairs, pair, ttl, now);
    count(this.addresses, address, ttl, now);
  }

  succeed(pair: string): void {
    this.pairs.delete(pair);
  }
}

function check(windows: Map<string, Window>, key: string, limit: number, now: number): void {
  const entry = windows.get(key);
  if (!entry) return;
  if (entry.resetAt <= now) {
    windows.delete(key);
    return;
  }
  if (entry.count >= limit) {
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

function count(windows: Map<string, Window>, key: string, ttl: number, now: number): void {
  if (windows.size > 100_000) for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
  const entry = windows.get(key);
  if (entry && entry.resetAt > now) entry.count++;
  else windows.set(key, { count: 1, resetAt: now + ttl });
}
