import { INestApplication } from '@nestjs/common';
import { MqttClient } from 'mqtt';

import { Role } from '@sensorhub/domain';

import { createUsers, login, startApi } from './api';
import { brokerUrl, connectClient, testClientId } from './broker';
import { createTestDatabase, TestDatabase } from './database';
import { IngestProcess, startIngest } from './ingest-process';

/** The real path on a fresh database: MQTT → the ingest process → PostgreSQL → the api (in-process, listening). */
export interface Pipeline {
  db: TestDatabase;
  app: INestApplication;
  ingest: IngestProcess;
  /** a client on the shared broker, for publishing as devices do */
  mqtt: MqttClient;
  /** http://127.0.0.1:<port>, for clients supertest cannot be (EventSource) */
  base: string;
  /** an access token per role asked for (users `<role>@example.com`) */
  tokens: Record<Role, string>;
  /** closes everything this started, whatever of it started */
  stop(): Promise<void>;
}

export async function startPipeline(
  name: string,
  {
    apiEnv = {},
    roles = ['viewer', 'operator', 'admin'],
  }: { apiEnv?: Record<string, string>; roles?: Role[] } = {},
): Promise<Pipeline> {
  const p = { tokens: {} } as Pipeline;
  p.stop = async () => {
    await p.mqtt?.endAsync();
    await p.ingest?.stop();
    await p.app?.close();
    await p.db?.drop();
  };
  try {
    p.db = await createTestDatabase();
    await createUsers(p.db.client, roles);
    ({ app: p.app } = await startApi(p.db.url, apiEnv));
    await p.app.listen(0, '127.0.0.1');
    p.base = (await p.app.getUrl()).replace('[::1]', '127.0.0.1');
    p.ingest = startIngest({
      DATABASE_URL: p.db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: testClientId(name),
      INGEST_BATCH_MAX_WAIT_MS: '20',
    });
    p.mqtt = await connectClient(brokerUrl());
    const tokens = await Promise.all(roles.map((r) => login(p.app, `${r}@example.com`)));
    roles.forEach((r, i) => (p.tokens[r] = tokens[i]));
    await p.ingest.ready;
  } catch (e) {
    // a half-started pipeline would leave a database and a process behind
    await p.stop().catch(() => undefined);
    throw e;
  }
  return p;
}
