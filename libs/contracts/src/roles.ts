/** User roles, lowest first: admin ⊃ operator ⊃ viewer. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role's rank: a user may do what any role of lower or equal rank may. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

/** True when `actual` includes `needed` (admin includes operator includes viewer). */
export function hasRole(actual: Role | null | undefined, needed: Role): boolean {
  return !!actual && ROLE_RANK[actual] >= ROLE_RANK[needed];
}

/** What an API key may do: read = viewer routes, write = operator routes; admin routes never take keys. */
export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The scope an API key needs for a route of this role (none: keys cannot use it). */
export const SCOPE_FOR_ROLE: Readonly<Record<Role, ApiKeyScope | null>> = {
  viewer: 'read',
  operator: 'write',
  admin: null,
};
