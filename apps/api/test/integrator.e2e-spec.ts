import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { hashPassword } from '@sensorhub/domain';

import { startApi } from '../../../test/support/api';
import { brokerUrl, testClientId } from '../../../test/support/broker';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';
import { OpenApiDoc, Schema } from '../../../test/support/openapi-contract';

/** A request body as the document shows it: its first named example, else the examples of its required fields. */
function documentedExample(doc: OpenApiDoc, path: string, method: string): Record<string, unknown> {
  const media = doc.paths[path][method].requestBody!.content['application/json'];
  const named = Object.values(media.examples ?? {})[0];
  if (named) return named.value as Record<string, unknown>;
  let schema = media.schema as Schema;
  if (typeof schema.$ref === 'string')
    schema = doc.components.schemas[schema.$ref.split('/').pop()!] as Schema;
  const props = schema.properties as Record<string, { example?: unknown }>;
  const required = schema.required as string[];
  const body = Object.fromEntries(required.map((k) => [k, props[k].example]));
  for (const [k, v] of Object.entries(body))
    if (v === undefined) throw new Error(`${path}: ${k} has no example`);
  return body;
}

/**
 * Issue 9's integrator, working only from the OpenAPI document: log in, create an API key, post the documented
 * example packet and read it back by the id the API returns — every request body taken from the document's own
 * examples, through the real API, broker, ingest and PostgreSQL.
 */
describe('the integrator flow from the OpenAPI examples', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let ingest: IngestProcess;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app } = await startApi(db.url));
    ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: testClientId('api-integrator-test'),
      INGEST_BATCH_MAX_WAIT_MS: '20',
    });
    await ingest.ready;
  });

  afterAll(async () => {
    await ingest?.stop();
    await app?.close();
    await db?.drop();
  });

  it('logs in, creates a key, posts the example packet and reads it back by the returned id', async () => {
    const doc = (await http().get('/api/docs-json').expect(200)).body as OpenApiDoc;

    const credentials = documentedExample(doc, '/api/v1/auth/login', 'post');
    expect(credentials).toEqual({ email: expect.any(String), password: expect.any(String) });
    // the account the example names, as an administrator would have created it
    await db.client.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'admin')`, [
      credentials.email,
      await hashPassword(String(credentials.password)),
    ]);
    const token = (await http().post('/api/v1/auth/login').send(credentials).expect(200)).body.accessToken;

    const keyRequest = documentedExample(doc, '/api/v1/api-keys', 'post');
    const key = (
      await http().post('/api/v1/api-keys').auth(token, { type: 'bearer' }).send(keyRequest).expect(201)
    ).body.key as string;

    const packet = documentedExample(doc, '/api/v1/packets', 'post');
    const posted = await http().post('/api/v1/packets').set('X-API-Key', key).send(packet).expect(201);
    expect(posted.body).toMatchObject({ deviceId: packet.device_id, committed: true });
    expect(posted.headers.location).toBe(`/api/v1/packets/${posted.body.id}`);

    const stored = await http().get(`/api/v1/packets/${posted.body.id}`).set('X-API-Key', key).expect(200);
    const measurements = packet.measurements as Record<string, number>;
    expect(stored.body).toEqual({
      id: posted.body.id,
      deviceId: packet.device_id,
      timestamp: posted.body.timestamp,
      readings: Object.keys(measurements)
        .sort()
        .map((metric) => ({ metric, value: measurements[metric] })),
    });
  });
});
