import { MqttClient } from 'mqtt';

import { DEAD_LETTER_REASONS } from '@sensorhub/domain';

import { brokerUrl, connectClient, testClientId } from '../../../test/support/broker';
import { createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';

describe('ingest with INGEST_REQUIRE_REGISTERED=true', () => {
  let db: TestDatabase;
  let ingest: IngestProcess;
  let pub: MqttClient;
  const known = `reg-known-${process.pid}`;
  const stranger = `reg-stranger-${process.pid}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.client.query(`INSERT INTO devices (id, first_seen, last_seen) VALUES ($1, now(), now())`, [
      known,
    ]);
    ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: testClientId('ingest-reg'),
      INGEST_REQUIRE_REGISTERED: 'true',
    });
    await ingest.ready;
    pub = await connectClient(brokerUrl());
  });

  afterAll(async () => {
    await pub?.endAsync();
    await ingest?.stop();
    await db?.drop();
  });

  it('stores readings of registered devices and dead-letters those of unknown ones without creating them', async () => {
    await pub.publishAsync(`devices/${stranger}/temperature`, '30', { qos: 1 });
    await pub.publishAsync(`devices/${known}/temperature`, '20', { qos: 1 });

    const rows = await waitFor(
      async () =>
        (await db.client.query('SELECT device_id, value FROM readings')).rows.length > 0 &&
        (await db.client.query('SELECT device_id, value FROM readings')).rows,
      5000,
      'a reading',
    );
    expect(rows).toEqual([{ device_id: known, value: 20 }]);
    const dead = await waitFor(
      // its own device's only: a retained message another client left on the shared broker arrives too
      async () =>
        (
          await db.client.query('SELECT topic, reason, payload FROM dead_letters WHERE topic = $1', [
            `devices/${stranger}/temperature`,
          ])
        ).rows[0],
      5000,
      'a dead letter',
    );
    expect(dead).toEqual({
      topic: `devices/${stranger}/temperature`,
      reason: DEAD_LETTER_REASONS.unknownDevice,
      payload: Buffer.from('30'),
    });
    expect((await db.client.query('SELECT id FROM devices ORDER BY id')).rows).toEqual([{ id: known }]);
  });
});
