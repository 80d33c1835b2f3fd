import { MqttClient } from 'mqtt';

import { brokerUrl, connectClient } from '../../../test/support/broker';
import { ApiProcess, startApiProcess } from '../../../test/support/api-process';
import { count, createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';

/** The alert processor as real API processes: killed and restarted, and two replicas side by side. */
describe('alert processor processes', () => {
  let db: TestDatabase;
  let mqtt: MqttClient;
  const procs: ApiProcess[] = [];
  const run = `${process.pid}`;
  const topic = `alerts-proc-${run}`;

  const start = () => {
    const p = startApiProcess({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      PROCESSOR_INTERVAL_MS: '100',
      ALERT_MQTT_TOPIC: `${topic}/{deviceId}/{state}`,
    });
    procs.push(p);
    return p;
  };
  const insert = (devices: string[], metric: string, value: number) =>
    db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value) SELECT d, $2, clock_timestamp(), $3 FROM unnest($1::text[]) d`,
      [devices, metric, value],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    mqtt = await connectClient(brokerUrl());
  });

  afterAll(async () => {
    for (const p of procs) await p.kill();
    await mqtt?.endAsync();
    await db?.drop();
  });

  it('fires, exactly once, for readings committed while the processor was SIGKILLed', async () => {
    await db.client
      .query(`INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity)
      VALUES ('crash', 'all', 'crash_metric', 'above', 10, 10, 'critical')`);
    const a = start();
    await a.url;
    await a.kill('SIGKILL');
    const devices = Array.from({ length: 5 }, (_, i) => `crash-${run}-${i}`);
    await insert(devices, 'crash_metric', 99);
    expect(await count(db.client, `SELECT count(*) AS n FROM reading_changes`)).toBe(5);
    expect(await count(db.client, `SELECT count(*) AS n FROM alerts`)).toBe(0);

    const b = start();
    await b.url;
    await waitFor(
      async () => (await count(db.client, `SELECT count(*) AS n FROM alerts WHERE state = 'firing'`)) === 5,
    );
    await waitFor(async () => (await count(db.client, `SELECT count(*) AS n FROM reading_changes`)) === 0);
    // the restarted processor keeps going; nothing fires a second time
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(db.client, `SELECT count(*) AS n FROM alerts`)).toBe(5);
    expect(await count(db.client, `SELECT count(*) AS n FROM alert_events WHERE transition = 'firing'`)).toBe(
      5,
    );
    await b.kill();
  });

  it('evaluates readings written straight into a partition (COPY, a restore) and into a partition created later', async () => {
    await db.client
      .query(`INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity)
      VALUES ('direct', 'all', 'direct_metric', 'above', 10, 10, 'warning')`);
    const { rows } = await db.client.query(
      `SELECT part::text AS name FROM sensorhub_readings_partitions() WHERE now() >= lo AND now() < hi`,
    );
    const device = `direct-${run}`;
    await db.client.query(
      `INSERT INTO ${rows[0].name} (device_id, metric, ts, value) VALUES ($1, 'direct_metric', now(), 99)`,
      [device],
    );
    // a partition made after this migration (as the scheduled maintenance makes them) logs its rows too
    await db.client.query(
      `SELECT sensorhub_ensure_partitions(now() + interval '400 days', now() + interval '400 days')`,
    );
    const { rows: later } = await db.client.query(
      `SELECT part::text AS name FROM sensorhub_readings_partitions()
       WHERE now() + interval '400 days' >= lo AND now() + interval '400 days' < hi`,
    );
    await db.client.query(
      `INSERT INTO ${later[0].name} (device_id, metric, ts, value) VALUES ($1, 'direct_metric', now() + interval '400 days', 5)`,
      [`${device}-later`],
    );
    expect(
      await count(db.client, `SELECT count(*) AS n FROM reading_changes WHERE metric = 'direct_metric'`),
    ).toBe(2);

    const p = start();
    await p.url;
    await waitFor(
      async () =>
        (await count(
          db.client,
          `SELECT count(*) AS n FROM alerts WHERE device_id = '${device}' AND state = 'firing'`,
        )) === 1,
    );
    await p.kill();
  });

  it('two replicas perform each transition and each action once', async () => {
    await db.client.query(
      `INSERT INTO alert_rules (name, scope, metric, condition, threshold, clear_threshold, severity, actions)
       VALUES ('pair', 'all', 'pair_metric', 'above', 10, 5, 'warning', '[{"type":"mqtt"}]')`,
    );
    const received: string[] = [];
    await mqtt.subscribeAsync(`${topic}/#`, { qos: 1 });
    mqtt.on('message', (t) => t.startsWith(`${topic}/pair-`) && received.push(t));
    const [b, c] = [start(), start()];
    await Promise.all([b.url, c.url]);
    const devices = Array.from({ length: 20 }, (_, i) => `pair-${run}-${i}`);
    for (let round = 0; round < 3; round++) {
      await insert(devices, 'pair_metric', 50);
      await new Promise((r) => setTimeout(r, 30));
      await insert(devices, 'pair_metric', 1);
      await new Promise((r) => setTimeout(r, 30));
    }
    const transitions = 20 * 3 * 2;
    await waitFor(
      async () =>
        (await count(
          db.client,
          `SELECT count(*) AS n FROM alert_events WHERE action ->> 'type' = 'mqtt' AND status = 'done'`,
        )) === transitions,
      20_000,
      'every MQTT action done',
    );
    await waitFor(async () => received.length >= transitions, 10_000, 'every MQTT publish');
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(transitions);
    expect(new Set(received).size).toBe(40); // alerts-…/{device}/firing and /resolved for 20 devices
    expect(
      await count(
        db.client,
        `SELECT count(*) AS n FROM alerts WHERE rule_id = (SELECT id FROM alert_rules WHERE name = 'pair')`,
      ),
    ).toBe(60);
    expect(
      await count(
        db.client,
        `SELECT count(*) AS n FROM alert_events WHERE action ->> 'type' = 'sse'
      AND alert_id IN (SELECT id FROM alerts WHERE metric = 'pair_metric')`,
      ),
    ).toBe(transitions);
  });
});
