import { Principal } from './decorators/principal.decorator';

/** A device id, or a pattern where `*` stands for any run of id characters. */
export const DEVICE_SCOPE_PATTERN = /^[A-Za-z0-9_*-]{1,64}$/;

const regexCache = new Map<string, RegExp>();

function toRegExp(scopes: string[]): RegExp {
  const key = scopes.join(',');
  let re = regexCache.get(key);
  if (!re) {
    if (regexCache.size > 10_000) regexCache.clear();
    // ids hold no regex metacharacters except `-`, which is literal outside a class
    re = new RegExp(`^(?:${scopes.map((s) => s.replace(/\*/g, '[A-Za-z0-9_-]*')).join('|')})$`);
    regexCache.set(key, re);
  }
  return re;
}

/** The device patterns that bind the principal, or null when it may touch every device (users, unbound keys). */
export function deviceScopesOf(p: Principal | undefined): string[] | null {
  return p?.kind === 'apiKey' ? p.deviceScopes : null;
}

export function mayAccessDevice(p: Principal | undefined, deviceId: string): boolean {
  const scopes = deviceScopesOf(p);
  return !scopes || toRegExp(scopes).test(deviceId);
}

/** The scopes as SQL LIKE patterns (`_` is a LIKE wildcard, so escaped), for `device_id LIKE ANY($n)`. */
export function deviceScopesAsLike(scopes: string[]): string[] {
  return scopes.map((s) => s.replace(/_/g, '\\_').replace(/\*/g, '%'));
}
