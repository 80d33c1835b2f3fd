import { INestApplication } from '@nestjs/common';
import { sign, SignOptions } from 'jsonwebtoken';
import { Client } from 'pg';
import request from 'supertest';

import { hashPassword, Role } from '@sensorhub/domain';

import { createApp } from '../../apps/api/src/app.factory';
import { ApiConfig, validateApiConfig } from '../../apps/api/src/config/api.config';
import { brokerUrl } from './broker';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';
export const TEST_PASSWORD = 'correct horse battery staple';

/** The API in-process on `databaseUrl` (not listening: supertest takes `app.getHttpServer()`). */
export async function startApi(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ app: INestApplication; config: ApiConfig }> {
  const config = validateApiConfig({
    DATABASE_URL: databaseUrl,
    MQTT_URL: brokerUrl(),
    JWT_SECRET: TEST_JWT_SECRET,
    THROTTLE_LIMIT: '100000',
    LOG_LEVEL: 'error',
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  return { app, config };
}

/** Users straight into the database (argon2 is slow: make them once per file); returns their ids. */
export async function createUsers(
  client: Client,
  roles: Role[] = ['viewer', 'operator', 'admin'],
): Promise<Record<Role, string>> {
  const hash = await hashPassword(TEST_PASSWORD);
  const ids = {} as Record<Role, string>;
  for (const role of roles) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) RETURNING id`,
      [`${role}@example.com`, hash, role],
    );
    ids[role] = rows[0].id;
  }
  return ids;
}

export async function login(app: INestApplication, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await request(app.getHttpServer())
    .post('/api/v1/auth/login')
    .send({ email, password })
    .expect(200);
  return res.body.accessToken as string;
}

/** A token as the API would sign it, with any secret or lifetime: forged and expired tokens for the tests. */
export function signAccessToken(
  sub: string,
  role: Role,
  opts: { secret?: string; expiresIn?: SignOptions['expiresIn'] } = {},
): string {
  return sign({ sub, role }, opts.secret ?? TEST_JWT_SECRET, {
    audience: 'sensorhub-api',
    expiresIn: opts.expiresIn ?? 900,
  });
}
