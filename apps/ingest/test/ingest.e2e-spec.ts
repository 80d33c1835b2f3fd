import { MqttClient } from 'mqtt';

import { DEAD_LETTER_REASONS as R } from '@sensorhub/domain';

import { brokerUrl, connectClient, testClientId } from '../../../test/support/broker';
import { count, createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { IngestProcess, startIngest } from '../../../test/support/ingest-process';

// The wire contract through the real path: a broker, the built ingest process, PostgreSQL.
describe('ingest: wire contract end to end', () => {
  let db: TestDatabase;
  let ingest: IngestProcess;
  let pub: MqttClient;
  const id = `wire${process.pid}`;
  const recent = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

  beforeAll(async () => {
    db = await createTestDatabase();
    ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: testClientId('ingest-wire'),
    });
    await ingest.ready;
    pub = await connectClient(brokerUrl());
  });

  afterAll(async () => {
    await pub?.endAsync();
    await ingest?.stop();
    await db?.drop();
  });

  const publish = (topic: string, payload: string | Buffer) => pub.publishAsync(topic, payload, { qos: 1 });
  const readings = async (device: string) =>
    (
      await db.client.query(
        'SELECT metric, ts, value FROM readings WHERE device_id = $1 ORDER BY metric, ts',
        [device],
      )
    ).rows;

  it('stores a plain number with the time of receipt', async () => {
    const before = Date.now();
    await publish(`devices/${id}-a/temperature`, '21.5');
    const rows = await waitFor(
      async () => (await readings(`${id}-a`)).length === 1 && readings(`${id}-a`),
      5000,
      'the reading',
    );
    expect(rows[0]).toMatchObject({ metric: 'temperature', value: 21.5 });
    expect(rows[0].ts.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows[0].ts.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('stores {"value","ts"} with ISO and epoch-ms timestamps at the given time', async () => {
    const iso = recent(60_000);
    const epoch = Date.now() - 120_000;
    await publish(`devices/${id}-b/humidity`, JSON.stringify({ value: 41.25, ts: iso }));
    await publish(`devices/${id}-b/pressure`, JSON.stringify({ value: -3, ts: epoch }));
    const rows = await waitFor(
      async () => (await readings(`${id}-b`)).length === 2 && readings(`${id}-b`),
      5000,
      'two readings',
    );
    expect(rows).toEqual([
      { metric: 'humidity', ts: new Date(iso), value: 41.25 },
      { metric: 'pressure', ts: new Date(epoch), value: -3 },
    ]);
  });

  it('stores every measurement of a telemetry packet and the device state, and presence from status', async () => {
    const ts = recent(5000);
    const device = `${id}-c`;
    await publish(`devices/${device}/status`, 'online');
    await publish(
      `devices/${device}/telemetry`,
      JSON.stringify({
        device_id: device,
        timestamp: ts,
        measurements: { temperature: 23.5, humidity: 41 },
        status: 'ok',
        battery: 87,
      }),
    );
    const rows = await waitFor(
      async () => (await readings(device)).length === 2 && readings(device),
      5000,
      'telemetry readings',
    );
    expect(rows).toEqual([
      { metric: 'humidity', ts: new Date(ts), value: 41 },
      { metric: 'temperature', ts: new Date(ts), value: 23.5 },
    ]);
    const dev = await waitFor(
      async () => (await db.client.query('SELECT * FROM devices WHERE id = $1', [device])).rows[0],
      5000,
      'device',
    );
    expect(dev).toMatchObject({ status: 'ok', battery: 87, online: true });
    expect(dev.first_seen.getTime()).toBeLessThanOrEqual(dev.last_seen.getTime());

    await publish(`devices/${device}/status`, 'offline');
    await waitFor(
      async () =>
        (await db.client.query('SELECT online FROM devices WHERE id = $1', [device])).rows[0].online ===
        false,
      5000,
      'offline',
    );
  });

  it('stores a redelivered message once', async () => {
    const payload = JSON.stringify({ value: 7, ts: recent(1000) });
    for (let i = 0; i < 3; i++) await publish(`devices/${id}-d/level`, payload);
    await publish(`devices/${id}-d/marker`, '1');
    await waitFor(async () => (await readings(`${id}-d`)).some((r) => r.metric === 'marker'), 5000, 'marker');
    expect(
      await count(db.client, `SELECT count(*) n FROM readings WHERE device_id = $1 AND metric = 'level'`, [
        `${id}-d`,
      ]),
    ).toBe(1);
  });

  it('keeps the hourly rollup equal to an aggregation of the stored readings, redelivered duplicates included', async () => {
    const device = `${id}-h`;
    const hour = 3600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    // readings over three UTC hours; the first one is redelivered in the same batch and again in a later batch
    const dup = JSON.stringify({ value: 4.5, ts: thisHour - 2 * hour + 10_000 });
    const first: Array<[string, string]> = [
      ['level', dup],
      ['level', JSON.stringify({ value: -1.25, ts: thisHour - 2 * hour + 20_000 })],
      ['level', dup],
      ['level', JSON.stringify({ value: 9, ts: thisHour - hour + 1 })],
      ['flow', JSON.stringify({ value: 2, ts: thisHour - hour + 5_000 })],
    ];
    for (const [metric, payload] of first) await publish(`devices/${device}/${metric}`, payload);
    await publish(`devices/${device}/marker`, JSON.stringify({ value: 1, ts: thisHour - 30 * 60_000 }));
    await waitFor(
      async () => (await readings(device)).some((r) => r.metric === 'marker'),
      5000,
      'first marker',
    );
    await publish(`devices/${device}/level`, dup);
    await publish(
      `devices/${device}/level`,
      JSON.stringify({ value: 100, ts: thisHour - 2 * hour + 30_000 }),
    );
    await publish(`devices/${device}/marker`, JSON.stringify({ value: 2, ts: thisHour - 20 * 60_000 }));
    await waitFor(
      async () => (await readings(device)).filter((r) => r.metric === 'marker').length === 2,
      5000,
      'second marker',
    );

    const rollup = await db.client.query(
      `SELECT metric, bucket, min, max, sum, count::int FROM readings_hourly WHERE device_id = $1 ORDER BY metric, bucket`,
      [device],
    );
    // an independent formulation of "UTC hour" from the one ingest uses
    const raw = await db.client.query(
      `SELECT metric, date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, min(value), max(value), sum(value), count(*)::int
       FROM readings WHERE device_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [device],
    );
    expect(rollup.rows).toEqual(raw.rows);
    expect(
      rollup.rows.find((r) => r.metric === 'level' && r.bucket.getTime() === thisHour - 2 * hour),
    ).toMatchObject({
      min: -1.25,
      max: 100,
      sum: 103.25,
      count: 3,
    });
  });

  it('sends every malformed form to dead_letters with its reason and keeps going', async () => {
    const cases: Array<[string, string | Buffer, string]> = [
      [`devices/${id}-e/a/b`, '1', R.invalidTopic],
      [`devices/${id}-e/Temp`, '1', R.invalidTopic],
      [`devices/${id}-e/t`, 'NaN', R.invalidValue],
      [`devices/${id}-e/t`, '{"value":', R.invalidJson],
      [`devices/${id}-e/t`, '{"ts":1}', R.invalidPayload],
      [`devices/${id}-e/t`, '', R.emptyPayload],
      [`devices/${id}-e/t`, Buffer.from([0xff, 0x00, 0xfe]), R.invalidEncoding],
      [`devices/${id}-e/t`, Buffer.alloc(70_000, 0x31), R.payloadTooLarge],
      [
        `devices/${id}-e/t`,
        JSON.stringify({ value: 1, ts: new Date(Date.now() + 3600_000).toISOString() }),
        R.timestampOutOfRange,
      ],
      [`devices/${id}-e/t`, '{"value":1,"ts":"noon"}', R.invalidTimestamp],
      [`devices/${id}-e/telemetry`, '{"device_id":"other","measurements":{"t":1}}', R.deviceIdMismatch],
      [`devices/${id}-e/telemetry`, '{"measurements":{"Bad Name":1}}', R.invalidMetric],
      [`devices/${id}-e/telemetry`, '{"measurements":{"t":1},"battery":300}', R.invalidBattery],
      [`devices/${id}-e/status`, 'sleeping', R.invalidStatus],
    ];
    for (const [topic, payload] of cases) await publish(topic, payload);
    await publish(`devices/${id}-e/after`, '5');

    const dead = await waitFor(
      async () => {
        const { rows } = await db.client.query(
          `SELECT topic, payload, payload_size, reason, detail FROM dead_letters WHERE topic LIKE $1 ORDER BY id`,
          [`devices/${id}-e/%`],
        );
        return rows.length === cases.length && rows;
      },
      5000,
      'all dead letters',
    );
    expect(dead.map((d) => [d.topic, d.reason])).toEqual(cases.map(([t, , r]) => [t, r]));
    const big = dead.find((d) => d.reason === R.payloadTooLarge)!;
    expect(big.payload_size).toBe(70_000);
    expect(big.payload.length).toBe(16 * 1024);
    expect(dead.find((d) => d.reason === R.invalidEncoding)!.payload).toEqual(
      Buffer.from([0xff, 0x00, 0xfe]),
    );
    expect(await waitFor(async () => (await readings(`${id}-e`)).length, 5000, 'the reading after')).toBe(1);
  });

  it('ignores its own commands on devices/{id}/cmd', async () => {
    await publish(`devices/${id}-f/cmd`, '{"command":"ping"}');
    await publish(`devices/${id}-f/v`, '1');
    await waitFor(async () => (await readings(`${id}-f`)).length === 1, 5000, 'reading');
    expect(
      await count(db.client, `SELECT count(*) n FROM dead_letters WHERE topic = $1`, [`devices/${id}-f/cmd`]),
    ).toBe(0);
  });

  it("moves a busy device's last_seen to its last message, although batches write it at most once a second", async () => {
    const device = `${id}-g`;
    const base = Date.now() - 60_000;
    await publish(`devices/${device}/v`, JSON.stringify({ value: 0, ts: base }));
    await waitFor(async () => (await readings(device)).length === 1, 5000, 'the first reading');
    let last = 0;
    for (let i = 1; i <= 300; i++) {
      last = Date.now();
      await publish(`devices/${device}/v`, JSON.stringify({ value: i, ts: base + i }));
    }
    await waitFor(async () => (await readings(device)).length === 301, 10_000, '301 readings');
    // the held last_seen is written by the next batch or within the second after: never left behind
    await waitFor(
      async () =>
        (await db.client.query('SELECT last_seen FROM devices WHERE id = $1', [device])).rows[0].last_seen >=
        new Date(last),
      5000,
      'last_seen at the last message',
    );
  });

  it('gives a device deleted while it reports its row back with its next message, even one whose last_seen is held', async () => {
    const device = `${id}-deleted`;
    await publish(`devices/${device}/v`, '1');
    await waitFor(async () => (await readings(device)).length === 1, 5000, 'the first reading');
    // as DELETE /api/v1/devices/:id does, within the second in which ingest holds this device's last_seen moves
    await db.client.query('BEGIN');
    await db.client.query('DELETE FROM devices WHERE id = $1', [device]);
    await db.client.query('DELETE FROM readings WHERE device_id = $1', [device]);
    await db.client.query('COMMIT');
    const sent = Date.now();
    await publish(`devices/${device}/v`, '2');
    await waitFor(async () => (await readings(device)).length === 1, 5000, 'the reading after the delete');
    // then the device stops: the held last_seen must bring its row back, not only a later message
    await waitFor(
      async () => (await db.client.query('SELECT 1 FROM devices WHERE id = $1', [device])).rowCount === 1,
      5000,
      'the device row again',
    );
    const row = (await db.client.query('SELECT last_seen FROM devices WHERE id = $1', [device])).rows[0];
    expect(row.last_seen.getTime()).toBeGreaterThanOrEqual(sent - 1000);
  });
});
