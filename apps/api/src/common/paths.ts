/** Every API route is under this prefix (Prometheus /metrics is not). */
export const API_PREFIX = 'api/v1';
export const API_PREFIX_PATH = `/${API_PREFIX}`;
