import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { Role } from '@sensorhub/domain';

import { createUsers, login, startApi, TEST_PASSWORD } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

describe('auth, users and API keys', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let ids: Record<Role, string>;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    ids = await createUsers(db.client);
    ({ app } = await startApi(db.url, { LOGIN_THROTTLE_LIMIT: '3' }));
    admin = await login(app, 'admin@example.com');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('logs in with a bearer token, its lifetime, the user and an httpOnly refresh cookie', async () => {
    const res = await http()
      .post('/api/v1/auth/login')
      .send({ email: 'Viewer@Example.com', password: TEST_PASSWORD })
      .expect(200);
    expect(res.body).toMatchObject({
      accessToken: expect.any(String),
      expiresIn: 900,
      user: { email: 'viewer@example.com', role: 'viewer' },
    });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = res.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/^sensorhub_refresh=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=43200/);

    const me = await http().get('/api/v1/auth/me').auth(res.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body).toMatchObject({ id: ids.viewer, role: 'viewer' });

    const refreshed = await http()
      .post('/api/v1/auth/refresh')
      .set('Cookie', cookie.split(';')[0])
      .expect(200);
    expect(refreshed.body).toMatchObject({ accessToken: expect.any(String), user: { id: ids.viewer } });
    await http().get('/api/v1/auth/me').auth(refreshed.body.accessToken, { type: 'bearer' }).expect(200);
  });

  it('refuses a forged refresh cookie and an access token used as a refresh cookie', async () => {
    const token = await login(app, 'operator@example.com');
    const res = await http()
      .post('/api/v1/auth/refresh')
      .set('Cookie', `sensorhub_refresh=${token}`)
      .expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    await http().post('/api/v1/auth/refresh').set('Cookie', 'sensorhub_refresh=abc.def.ghi').expect(401);
  });

  it('answers 401 to a wrong password and throttles the pair with 429 and Retry-After after repeated failures', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await http()
        .post('/api/v1/auth/login')
        .send({ email: 'operator@example.com', password: 'wrong' })
        .expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: 'wrong e-mail or password',
      });
    }
    const throttled = await http()
      .post('/api/v1/auth/login')
      .send({ email: 'operator@example.com', password: TEST_PASSWORD })
      .expect(429);
    expect(throttled.body).toMatchObject({ statusCode: 429, code: 'THROTTLED' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // another account from the same address is not locked out
    await http()
      .post('/api/v1/auth/login')
      .send({ email: 'viewer@example.com', password: TEST_PASSWORD })
      .expect(200);
  });

  it('answers 400 with the failing fields in details for an invalid body', async () => {
    const res = await http()
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ email: 'x', password: 'short', role: 'boss', extra: 1 })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'extra',
      'password',
      'role',
    ]);
  });

  it('lets an admin create a user, change their role, disable them (their token stops working) and reset the password', async () => {
    const created = await http()
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ email: 'New@Example.com', password: 'a-long-password-1', role: 'viewer' })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'new@example.com', role: 'viewer', disabled: false });
    const id = created.body.id;
    await http()
      .post('/api/v1/users')
      .auth(admin, { type: 'bearer' })
      .send({ email: 'new@example.com', password: 'a-long-password-1', role: 'viewer' })
      .expect(409);

    const token = await login(app, 'new@example.com', 'a-long-password-1');
    await http().patch('/api/v1/devices/none').auth(token, { type: 'bearer' }).send({}).expect(403);
    await http()
      .patch(`/api/v1/users/${id}`)
      .auth(admin, { type: 'bearer' })
      .send({ role: 'operator' })
      .expect(200);
    // the role is read per request: the promotion applies to the token already issued
    await http().patch('/api/v1/devices/none').auth(token, { type: 'bearer' }).send({}).expect(404);

    const list = await http().get('/api/v1/users').auth(admin, { type: 'bearer' }).expect(200);
    expect(list.body.find((u: { id: string }) => u.id === id)).toMatchObject({ role: 'operator' });

    await http()
      .patch(`/api/v1/users/${id}`)
      .auth(admin, { type: 'bearer' })
      .send({ disabled: true })
      .expect(200);
    await http().get('/api/v1/auth/me').auth(token, { type: 'bearer' }).expect(401);
    await http()
      .post('/api/v1/auth/login')
      .send({ email: 'new@example.com', password: 'a-long-password-1' })
      .expect(401);

    await http()
      .patch(`/api/v1/users/${id}`)
      .auth(admin, { type: 'bearer' })
      .send({ disabled: false })
      .expect(200);
    await http()
      .post(`/api/v1/users/${id}/password`)
      .auth(admin, { type: 'bearer' })
      .send({ password: 'another-password-2' })
      .expect(204);
    await http()
      .post('/api/v1/auth/login')
      .send({ email: 'new@example.com', password: 'a-long-password-1' })
      .expect(401);
    await login(app, 'new@example.com', 'another-password-2');
  });

  it('refuses to let an admin demote or disable themselves', async () => {
    const res = await http()
      .patch(`/api/v1/users/${ids.admin}`)
      .auth(admin, { type: 'bearer' })
      .send({ role: 'viewer' })
      .expect(409);
    expect(res.body.code).toBe('CONFLICT');
  });

  it('shows an API key once, stores only its hash, records its use and stops it when revoked', async () => {
    const created = await http()
      .post('/api/v1/api-keys')
      .auth(admin, { type: 'bearer' })
      .send({ name: 'export', scopes: ['read'] })
      .expect(201);
    const { key, id, prefix } = created.body;
    expect(key.startsWith(prefix + '_')).toBe(true);
    const { rows } = await db.client.query('SELECT hash FROM api_keys WHERE id = $1', [id]);
    expect(rows[0].hash).not.toContain(key.slice(prefix.length + 1));

    await http().get('/api/v1/devices').set('X-API-Key', key).expect(200);
    const list = await http().get('/api/v1/api-keys').auth(admin, { type: 'bearer' }).expect(200);
    const listed = list.body.find((k: { id: string }) => k.id === id);
    expect(listed.key).toBeUndefined();
    expect(listed.lastUsedAt).not.toBeNull();

    await http().delete(`/api/v1/api-keys/${id}`).auth(admin, { type: 'bearer' }).expect(204);
    const res = await http().get('/api/v1/devices').set('X-API-Key', key).expect(401);
    expect(res.body.message).toBe('API key revoked');
    await http()
      .get('/api/v1/devices')
      .set('X-API-Key', key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))
      .expect(401);
  });
});
