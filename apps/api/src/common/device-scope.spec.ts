import { Principal } from './decorators/principal.decorator';
import { deviceScopesAsLike, mayAccessDevice } from './device-scope';

const key = (deviceScopes: string[] | null): Principal => ({
  kind: 'apiKey',
  id: 'k',
  name: 'k',
  scopes: ['read'],
  deviceScopes,
});

describe('device scopes of API keys', () => {
  it('lets a bound key reach the ids it names and those its * patterns cover, nothing else', () => {
    const p = key(['greenhouse-*', 'w_1', '*-lab']);
    expect(
      ['greenhouse-1', 'greenhouse-', 'w_1', 'x-lab'].filter((id) => mayAccessDevice(p, id)),
    ).toHaveLength(4);
    expect(
      ['greenhouse', 'wX1', 'w_12', 'x-lab-2', 'agreenhouse-1'].filter((id) => mayAccessDevice(p, id)),
    ).toEqual([]);
  });

  it('lets users and unbound keys reach every device', () => {
    const user: Principal = { kind: 'user', id: 'u', email: 'a@b', role: 'viewer', tokenVersion: 0 };
    expect(mayAccessDevice(user, 'any')).toBe(true);
    expect(mayAccessDevice(key(null), 'any')).toBe(true);
  });

  it('turns patterns into LIKE patterns where _ is literal and * is %', () => {
    expect(deviceScopesAsLike(['w_1', 'green-*'])).toEqual(['w\\_1', 'green-%']);
  });
});
