import SwaggerParser from '@apidevtools/swagger-parser';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { Role } from '@sensorhub/domain';

import { createUsers, login, signAccessToken, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

type Need = Role | 'public';
interface RouteCase {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  need: Need;
  /** a request that passes validation or fails after the guards: never changes shared state */
  body?: object;
  /** users only: API keys are refused whatever their scope */
  usersOnly?: boolean;
  /** public routes: the status without credentials */
  status?: number;
}

const NO_UUID = '00000000-0000-4000-8000-000000000000';

/** Every route of the API with the least role it needs; the coverage test below fails when a route is missing here. */
const ROUTES: RouteCase[] = [
  { method: 'post', path: '/api/v1/auth/login', need: 'public', body: {}, status: 400 },
  // its credential is the refresh cookie (auth.e2e-spec)
  { method: 'post', path: '/api/v1/auth/refresh', need: 'public', status: 401 },
  { method: 'post', path: '/api/v1/auth/logout', need: 'public', status: 204 },
  { method: 'get', path: '/api/v1/auth/me', need: 'viewer', usersOnly: true },
  { method: 'post', path: '/api/v1/auth/password', need: 'viewer', usersOnly: true, body: {} },
  { method: 'get', path: '/api/v1/users', need: 'admin' },
  { method: 'post', path: '/api/v1/users', need: 'admin', body: { email: 'not-an-email' } },
  { method: 'patch', path: `/api/v1/users/${NO_UUID}`, need: 'admin', body: {} },
  {
    method: 'post',
    path: `/api/v1/users/${NO_UUID}/password`,
    need: 'admin',
    body: { password: 'a-long-enough-password' },
  },
  { method: 'get', path: '/api/v1/api-keys', need: 'admin' },
  { method: 'post', path: '/api/v1/api-keys', need: 'admin', body: { name: 'x', scopes: ['nope'] } },
  { method: 'delete', path: `/api/v1/api-keys/${NO_UUID}`, need: 'admin' },
  { method: 'get', path: '/api/v1/devices', need: 'viewer' },
  { method: 'get', path: '/api/v1/devices/nope', need: 'viewer' },
  { method: 'patch', path: '/api/v1/devices/nope', need: 'operator', body: { name: 'x' } },
  { method: 'delete', path: '/api/v1/devices/nope', need: 'admin' },
  { method: 'post', path: '/api/v1/devices/nope/commands', need: 'operator', body: { command: 'ping' } },
  { method: 'get', path: '/api/v1/devices/nope/readings?metric=temperature', need: 'viewer' },
  { method: 'get', path: '/api/v1/devices/nope/readings/export', need: 'viewer' },
  { method: 'get', path: '/api/v1/sparklines?devices=nope', need: 'viewer' },
  { method: 'get', path: '/api/v1/series?series=nope:temperature', need: 'viewer' },
  // a JSON body is refused (400) after the guards: nothing imported
  { method: 'post', path: '/api/v1/readings/import', need: 'operator', body: {} },
  {
    method: 'post',
    path: '/api/v1/packets',
    need: 'operator',
    body: { device_id: 'bad/id', measurements: {} },
  },
  { method: 'get', path: '/api/v1/ping', need: 'viewer' },
  { method: 'get', path: '/api/v1/metrics/catalog', need: 'viewer' },
  { method: 'get', path: '/api/v1/messages?key=temperature', need: 'viewer' },
  { method: 'get', path: '/api/v1/rereadenv', need: 'admin' },
  { method: 'get', path: '/api/v1/dead-letters', need: 'operator' },
  { method: 'get', path: '/api/v1/dead-letters/summary', need: 'operator' },
  // not a dead letter id: 400 after the guards
  { method: 'post', path: '/api/v1/dead-letters/nope/replay', need: 'operator' },
  { method: 'post', path: '/api/v1/rereadenv', need: 'admin' },
  { method: 'get', path: '/api/v1/packets/nope', need: 'viewer' },
  { method: 'get', path: '/api/v1/alert-rules', need: 'viewer' },
  { method: 'get', path: `/api/v1/alert-rules/${NO_UUID}`, need: 'viewer' },
  { method: 'post', path: '/api/v1/alert-rules', need: 'operator', body: {} },
  { method: 'post', path: '/api/v1/alert-rules/preview', need: 'viewer', body: {} },
  { method: 'patch', path: `/api/v1/alert-rules/${NO_UUID}`, need: 'operator', body: {} },
  { method: 'delete', path: `/api/v1/alert-rules/${NO_UUID}`, need: 'operator' },
  { method: 'get', path: '/api/v1/alerts', need: 'viewer' },
  { method: 'get', path: '/api/v1/devices/nope/alerts', need: 'viewer' },
  // not an alert id: 400 after the guards
  { method: 'get', path: '/api/v1/alerts/nope', need: 'viewer' },
  { method: 'post', path: '/api/v1/alerts/nope/acknowledge', need: 'operator', usersOnly: true, body: {} },
  { method: 'get', path: '/api/v1/alerts/nope/events', need: 'viewer' },
  { method: 'post', path: '/api/v1/live/ticket', need: 'viewer' },
  // an invalid filter answers 400 before the stream opens, so the request ends
  { method: 'get', path: '/api/v1/live?deviceId=bad!', need: 'viewer' },
  { method: 'get', path: '/api/v1/health', need: 'public', status: 200 },
  { method: 'get', path: '/metrics', need: 'public', status: 200 },
];

const RANK: Record<Need, number> = { public: -1, viewer: 0, operator: 1, admin: 2 };

describe('API access rules', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let ids: Record<Role, string>;
  const tokens = {} as Record<Role, string>;
  const keys = {} as Record<'read' | 'write' | 'revoked', string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    ids = await createUsers(db.client);
    ({ app } = await startApi(db.url, { ENV_FILE: '/nonexistent/.env' }));
    for (const role of ['viewer', 'operator', 'admin'] as Role[])
      tokens[role] = await login(app, `${role}@example.com`);
    for (const scope of ['read', 'write', 'revoked'] as const) {
      const res = await request(app.getHttpServer())
        .post('/api/v1/api-keys')
        .auth(tokens.admin, { type: 'bearer' })
        .send({ name: scope, scopes: scope === 'revoked' ? ['read', 'write'] : [scope] })
        .expect(201);
      keys[scope] = res.body.key;
      if (scope === 'revoked') {
        await request(app.getHttpServer())
          .delete(`/api/v1/api-keys/${res.body.id}`)
          .auth(tokens.admin, { type: 'bearer' })
          .expect(204);
      }
    }
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const call = (r: RouteCase, headers: Record<string, string> = {}) => {
    const req = request(app.getHttpServer())[r.method](r.path).set(headers);
    return r.body ? req.send(r.body) : req;
  };
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
  const guarded = ROUTES.filter((r) => r.need !== 'public');
  const name = (r: RouteCase) => `${r.method.toUpperCase()} ${r.path.split('?')[0]}`;

  // superagent keeps the request on the response; its typings leave it out
  const pathOf = (res: request.Response) => (res as unknown as { req: { path: string } }).req.path;
  const expectError = (res: request.Response, status: number, code: string) => {
    expect({ route: pathOf(res), status: res.status, code: res.body.code }).toEqual({
      route: pathOf(res),
      status,
      code,
    });
    expect(res.body).toMatchObject({ statusCode: status, code });
    expect(typeof res.body.message).toBe('string');
  };
  const expectAllowed = (res: request.Response) => {
    const status = res.status;
    expect({
      route: pathOf(res),
      status,
      allowed: status !== 401 && status !== 403 && status < 500,
    }).toMatchObject({ allowed: true });
  };

  describe.each(guarded)('$method $path', (r) => {
    it('answers 401 without credentials', async () => expectError(await call(r), 401, 'UNAUTHORIZED'));

    it('answers 401 to a token signed with another secret', async () => {
      const forged = signAccessToken(ids.admin, 'admin', {
        secret: 'another-secret-another-secret-another!!',
      });
      expectError(await call(r, bearer(forged)), 401, 'UNAUTHORIZED');
    });

    it('answers 401 to an expired token', async () => {
      expectError(
        await call(r, bearer(signAccessToken(ids.admin, 'admin', { expiresIn: -10 }))),
        401,
        'UNAUTHORIZED',
      );
    });

    it('answers 401 to a revoked API key', async () =>
      expectError(await call(r, { 'X-API-Key': keys.revoked }), 401, 'UNAUTHORIZED'));

    it.each(['viewer', 'operator', 'admin'] as Role[])(
      `lets %s in only when the role suffices (needs ${r.need})`,
      async (role) => {
        const res = await call(r, bearer(tokens[role]));
        if (RANK[role] >= RANK[r.need]) expectAllowed(res);
        else expectError(res, 403, 'FORBIDDEN');
      },
    );

    it.each(['read', 'write'] as const)(
      'lets an API key with scope %s in only when it is the scope needed',
      async (scope) => {
        const res = await call(r, { 'X-API-Key': keys[scope] });
        const needed = r.need === 'viewer' ? 'read' : r.need === 'operator' ? 'write' : null;
        if (!r.usersOnly && needed === scope) expectAllowed(res);
        else expectError(res, 403, 'FORBIDDEN');
      },
    );
  });

  it.each(ROUTES.filter((r) => r.need === 'public').map((r) => [name(r), r] as const))(
    '%s is public',
    async (_n, r) => {
      expect((await call(r)).status).toBe(r.status);
    },
  );

  it('covers every route the app serves, and Swagger documents each with its responses', async () => {
    const router = app.getHttpAdapter().getInstance().router;
    const served = new Set<string>();
    for (const layer of router.stack) {
      if (!layer.route) continue;
      for (const m of Object.keys(layer.route.methods)) served.add(`${m} ${layer.route.path}`);
    }
    const toPattern = (p: string) => p.split('?')[0].replace(NO_UUID, ':id').replace('/nope', '/:id');
    const tested = new Set(ROUTES.map((r) => `${r.method} ${toPattern(r.path)}`));
    const apiRoutes = [...served].filter((s) => / \/(api\/v1|metrics)/.test(s));
    expect(apiRoutes.filter((s) => !tested.has(s))).toEqual([]);
    expect([...tested].filter((s) => !served.has(s))).toEqual([]);

    const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    const doc = res.body;
    for (const s of tested) {
      const [method, path] = s.split(' ');
      const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method];
      expect({ route: s, documented: !!op }).toEqual({ route: s, documented: true });
      const statuses = Object.keys(op.responses);
      expect(statuses.some((c: string) => c.startsWith('2'))).toBe(true);
      expect(statuses).toContain('429');
      if (!ROUTES.find((r) => `${r.method} ${toPattern(r.path)}` === s && r.need === 'public')) {
        expect(statuses).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['bearer', 'apiKey']));
    expect(doc.info.description).toContain('VALIDATION_FAILED');
    expect(doc.components.schemas.ErrorDto).toBeDefined();
  });

  it('serves Swagger JSON that validates as OpenAPI 3', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeDefined();
  });

  it('serves Swagger UI at /api/docs', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});
