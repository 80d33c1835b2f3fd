import { INestApplication } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import request from 'supertest';

import { DEAD_LETTER_PAYLOAD_LIMIT } from '@sensorhub/domain';

import { count, TestDatabase, waitFor } from '../../../test/support/database';
import { Pipeline, startPipeline } from '../../../test/support/pipeline';

describe('dead letters through the real path (MQTT → ingest → dead_letters → API, and replay back)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let pipeline: Pipeline;
  let mqtt: MqttClient;
  let viewer: string;
  let operator: string;
  let admin: string;
  const dev = `dl-${process.pid}`;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    pipeline = await startPipeline('api-dead-letters-test');
    ({ db, app, mqtt } = pipeline);
    ({ viewer, operator, admin } = pipeline.tokens);
    // three refused messages, oldest first
    await mqtt.publishAsync(`devices/${dev}/temperature`, 'warm', { qos: 1 });
    await waitFor(
      () => count(db.client, 'SELECT count(*) AS n FROM dead_letters'),
      5000,
      'first dead letter',
    );
    await mqtt.publishAsync(`devices/${dev}/humidity`, Buffer.from([0xff, 0xfe, 0x00, 0x41]), { qos: 1 });
    await waitFor(
      async () => (await count(db.client, 'SELECT count(*) AS n FROM dead_letters')) === 2,
      5000,
      'second',
    );
    await mqtt.publishAsync(`devices/${dev}/x/y`, '1', { qos: 1 });
    await waitFor(
      async () => (await count(db.client, 'SELECT count(*) AS n FROM dead_letters')) === 3,
      5000,
      'third',
    );
  });

  afterAll(() => pipeline?.stop());

  const list = (query: string, token = operator) =>
    http().get(`/api/v1/dead-letters${query}`).auth(token, { type: 'bearer' });

  it('lists what ingest refused, newest first, with reason, device and the payload shown safely', async () => {
    const res = await list('').expect(200);
    expect(res.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(res.body.items.map((d: { topic: string }) => d.topic)).toEqual([
      `devices/${dev}/x/y`,
      `devices/${dev}/humidity`,
      `devices/${dev}/temperature`,
    ]);
    const [badTopic, binary, text] = res.body.items;
    expect(badTopic).toMatchObject({ reason: 'INVALID_TOPIC', deviceId: dev });
    expect(text).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      deviceId: dev,
      reason: 'INVALID_VALUE',
      detail: expect.any(String),
      payload: 'warm',
      payloadEncoding: 'utf8',
      payloadSize: 4,
      truncated: false,
      replayedAt: null,
      replayCount: 0,
    });
    expect(Date.parse(text.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(binary).toMatchObject({
      reason: 'INVALID_ENCODING',
      payload: Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'),
      payloadEncoding: 'base64',
      payloadSize: 4,
    });
  });

  it('filters by reason, device and time, pages, and counts per reason under the same filters', async () => {
    expect((await list('?reason=INVALID_ENCODING').expect(200)).body.items).toEqual([
      expect.objectContaining({ topic: `devices/${dev}/humidity` }),
    ]);
    expect((await list(`?device=other-${dev}`).expect(200)).body).toMatchObject({ total: 0, items: [] });
    const page = (await list(`?device=${dev}&limit=1&offset=1`).expect(200)).body;
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((d: { topic: string }) => d.topic)).toEqual([`devices/${dev}/humidity`]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await list(`?from=${future}`).expect(200)).body.total).toBe(0);
    expect(
      (await list(`?to=${future}&from=${new Date(Date.now() - 3_600_000).toISOString()}`).expect(200)).body
        .total,
    ).toBe(3);

    const summary = await http()
      .get(`/api/v1/dead-letters/summary?device=${dev}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(summary.body).toEqual([
      { reason: 'INVALID_ENCODING', count: 1 },
      { reason: 'INVALID_TOPIC', count: 1 },
      { reason: 'INVALID_VALUE', count: 1 },
    ]);
  });

  it('refuses a date that does not exist, an unknown reason and a viewer, in the error shape', async () => {
    const bad = await list('?from=2026-02-31T00:00:00Z').expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(bad.body)).toContain('from must be ISO 8601 date and time with a zone');
    expect((await list('?reason=NOPE').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await list('', viewer).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it('shows an API key bound to devices only its devices, and refuses it a replay of others', async () => {
    const key = (
      await http()
        .post('/api/v1/api-keys')
        .auth(admin, { type: 'bearer' })
        .send({ name: 'bound', scopes: ['read', 'write'], devices: [`other-${dev}`] })
        .expect(201)
    ).body.key;
    const res = await http().get('/api/v1/dead-letters').set('X-API-Key', key).expect(200);
    expect(res.body).toMatchObject({ total: 0, items: [] });
    const { rows } = await db.client.query<{ id: string }>(`SELECT id FROM dead_letters LIMIT 1`);
    await http().post(`/api/v1/dead-letters/${rows[0].id}/replay`).set('X-API-Key', key).expect(403);
  });

  it('replays a dead letter that is valid now: the reading lands through ingest, and a second replay adds nothing', async () => {
    // refused earlier (say, a sensor clock ahead); by today's rules the timestamp is fine
    const ts = new Date(Date.now() - 60_000).toISOString();
    const payload = JSON.stringify({ value: 21.5, ts });
    const { rows } = await db.client.query<{ id: string }>(
      `INSERT INTO dead_letters (topic, payload, payload_size, reason, detail, received_at)
       VALUES ($1, $2, $3, 'TIMESTAMP_OUT_OF_RANGE', 'ts is outside the accepted window', now() - interval '10 minutes')
       RETURNING id`,
      [`devices/${dev}/temperature`, Buffer.from(payload), Buffer.byteLength(payload)],
    );
    const id = rows[0].id;
    const readings = () =>
      count(db.client, `SELECT count(*) AS n FROM readings WHERE device_id = $1 AND metric = 'temperature'`, [
        dev,
      ]);
    const deadLetters = () => count(db.client, 'SELECT count(*) AS n FROM dead_letters');
    const before = await deadLetters();

    const first = await http()
      .post(`/api/v1/dead-letters/${id}/replay`)
      .auth(operator, { type: 'bearer' })
      .expect(202);
    expect(first.body).toMatchObject({
      id,
      topic: `devices/${dev}/temperature`,
      payloadSize: Buffer.byteLength(payload),
      replayCount: 1,
    });
    await waitFor(async () => (await readings()) === 1, 5000, 'the replayed reading');
    const { rows: stored } = await db.client.query(
      `SELECT value, ts FROM readings WHERE device_id = $1 AND metric = 'temperature'`,
      [dev],
    );
    expect(stored).toEqual([{ value: 21.5, ts: new Date(ts) }]);

    const second = await http()
      .post(`/api/v1/dead-letters/${id}/replay`)
      .auth(operator, { type: 'bearer' })
      .expect(202);
    expect(second.body.replayCount).toBe(2);
    // a marker published after the second replay: once it is stored, ingest has handled the replay
    await mqtt.publishAsync(`devices/${dev}/pressure`, '1013', { qos: 1 });
    await waitFor(
      () =>
        count(db.client, `SELECT count(*) AS n FROM readings WHERE device_id = $1 AND metric = 'pressure'`, [
          dev,
        ]),
      5000,
      'marker',
    );
    expect(await readings()).toBe(1);
    expect(await deadLetters()).toBe(before);
    const shown = (await list(`?reason=TIMESTAMP_OUT_OF_RANGE`).expect(200)).body.items[0];
    expect(shown).toMatchObject({ id, replayCount: 2, replayedAt: expect.any(String) });
  });

  it('refuses to replay a payload that was cut when stored, a topic outside devices/ and an unknown id', async () => {
    const { rows } = await db.client.query<{ id: string }>(
      `INSERT INTO dead_letters (topic, payload, payload_size, reason, detail, received_at)
       VALUES ($1, $2, $3, 'PAYLOAD_TOO_LARGE', 'too large', now()), ('sensors/x', '1', 1, 'INVALID_TOPIC', 'bad', now())
       RETURNING id`,
      [`devices/${dev}/telemetry`, Buffer.alloc(DEAD_LETTER_PAYLOAD_LIMIT, 0x20), 300_000],
    );
    const shown = (await list('?reason=PAYLOAD_TOO_LARGE').expect(200)).body.items[0];
    expect(shown).toMatchObject({ truncated: true, payloadSize: 300_000, payloadEncoding: 'utf8' });
    const cut = await http()
      .post(`/api/v1/dead-letters/${rows[0].id}/replay`)
      .auth(operator, { type: 'bearer' })
      .expect(409);
    expect(cut.body).toMatchObject({ statusCode: 409, code: 'DEAD_LETTER_TRUNCATED' });
    const foreign = await http()
      .post(`/api/v1/dead-letters/${rows[1].id}/replay`)
      .auth(admin, { type: 'bearer' })
      .expect(409);
    expect(foreign.body.code).toBe('DEAD_LETTER_NOT_REPLAYABLE');
    await http().post('/api/v1/dead-letters/999999999/replay').auth(operator, { type: 'bearer' }).expect(404);
    await http().post('/api/v1/dead-letters/abc/replay').auth(operator, { type: 'bearer' }).expect(400);
    await http()
      .post(`/api/v1/dead-letters/${rows[0].id}/replay`)
      .auth(viewer, { type: 'bearer' })
      .expect(403);
  });
});
