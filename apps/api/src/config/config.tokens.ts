export const API_CONFIG = Symbol('API_CONFIG');
/** keys set in the process environment at start-up: they win over .env, also on /rereadenv */
export const PINNED_ENV_KEYS = Symbol('PINNED_ENV_KEYS');
