import { INestApplication } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import request from 'supertest';

import { TestDatabase, waitFor } from '../../../test/support/database';
import { Pipeline, startPipeline } from '../../../test/support/pipeline';
import { openSse } from '../../../test/support/sse';

describe('live stream through the real path (MQTT → ingest → NOTIFY → API → SSE)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let pipeline: Pipeline;
  let mqtt: MqttClient;
  let base: string;
  let viewer: string;
  let operator: string;
  const device = `live-${process.pid}`;

  beforeAll(async () => {
    pipeline = await startPipeline('api-live-test', { roles: ['viewer', 'operator'] });
    ({ db, app, mqtt, base } = pipeline);
    ({ viewer, operator } = pipeline.tokens);
  });

  afterAll(() => pipeline?.stop());

  const ticket = async () =>
    (
      await request(app.getHttpServer())
        .post('/api/v1/live/ticket')
        .auth(viewer, { type: 'bearer' })
        .expect(200)
    ).body.ticket as string;

  it('delivers a reading published over MQTT to a connected EventSource within a second', async () => {
    const t = await ticket();
    const sse = await openSse(`${base}/api/v1/live?ticket=${encodeURIComponent(t)}&deviceId=${device}`);
    try {
      expect(sse.status).toBe(200);
      await waitFor(async () => sse.events.some((e) => e.event === 'ready'), 5000, 'ready event');
      const sent = Date.now();
      await mqtt.publishAsync(`devices/${device}/temperature`, '21.5', { qos: 1 });
      await mqtt.publishAsync(`devices/other-${device}/temperature`, '99', { qos: 1 });
      const got = await waitFor(
        async () => sse.events.find((e) => e.event === 'readings'),
        5000,
        'readings event',
      );
      const elapsed = Date.now() - sent;
      expect(got.data).toEqual([
        { deviceId: device, metric: 'temperature', ts: expect.any(String), value: 21.5 },
      ]);
      expect(elapsed).toBeLessThan(1000);

      await mqtt.publishAsync(`devices/${device}/status`, 'offline', { qos: 1 });
      const status = await waitFor(
        async () =>
          sse.events.find(
            (e) => e.event === 'devices' && (e.data as { online?: boolean }[])[0].online === false,
          ),
        5000,
        'device event',
      );
      expect(status.data).toEqual([expect.objectContaining({ id: device, online: false })]);
      // the filter kept the other device out
      expect(JSON.stringify(sse.events)).not.toContain(`other-${device}`);
    } finally {
      sse.close();
    }
  });

  it('accepts a ticket once and refuses the stream without one', async () => {
    const t = await ticket();
    const first = await openSse(`${base}/api/v1/live?ticket=${t}`);
    first.close();
    const again = await request(app.getHttpServer()).get(`/api/v1/live?ticket=${t}`).expect(401);
    expect(again.body).toMatchObject({ code: 'UNAUTHORIZED', message: 'ticket already used' });
    await request(app.getHttpServer()).get('/api/v1/live').expect(401);
    await request(app.getHttpServer()).get('/api/v1/live?ticket=forged.ticket.value').expect(401);
  });

  it('answers 201 to a packet only once ingest committed it, with an id that GET /packets/{id} resolves', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/packets')
      .auth(operator, { type: 'bearer' })
      .send({
        device_id: device,
        measurements: { temperature: 22.25, humidity: 40 },
        status: 'ok',
        battery: 77,
      })
      .expect(201);
    const ms = Date.parse(res.body.timestamp);
    expect(res.body).toEqual({
      id: `${device}.${ms}`,
      deviceId: device,
      timestamp: res.body.timestamp,
      readings: 2,
      committed: true,
    });
    expect(res.headers.location).toBe(`/api/v1/packets/${device}.${ms}`);
    // committed means stored: no waiting
    const { rows } = await db.client.query(
      `SELECT metric, value FROM readings WHERE device_id = $1 AND ts = $2 ORDER BY metric`,
      [device, res.body.timestamp],
    );
    expect(rows).toEqual([
      { metric: 'humidity', value: 40 },
      { metric: 'temperature', value: 22.25 },
    ]);
    const { rows: dev } = await db.client.query('SELECT status, battery FROM devices WHERE id = $1', [
      device,
    ]);
    expect(dev[0]).toEqual({ status: 'ok', battery: 77 });
    const stored = await request(app.getHttpServer())
      .get(res.headers.location)
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(stored.body).toEqual({
      id: res.body.id,
      deviceId: device,
      timestamp: res.body.timestamp,
      readings: [
        { metric: 'humidity', value: 40 },
        { metric: 'temperature', value: 22.25 },
      ],
    });
  });

  it('answers 201 to a packet of device state only once the state is committed', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/packets')
      .auth(operator, { type: 'bearer' })
      .send({ device_id: device, measurements: {}, status: 'low_battery', battery: 9 })
      .expect(201);
    expect(res.body).toMatchObject({ readings: 0, committed: true });
    const { rows } = await db.client.query('SELECT status, battery FROM devices WHERE id = $1', [device]);
    expect(rows[0]).toEqual({ status: 'low_battery', battery: 9 });
  });

  it('counts connected stream clients in /metrics', async () => {
    const sse = await openSse(`${base}/api/v1/live?ticket=${await ticket()}`);
    try {
      await waitFor(async () => sse.events.length > 0, 5000, 'ready event');
      const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^sse_clients 1$/m);
    } finally {
      sse.close();
    }
    await waitFor(
      async () => /^sse_clients 0$/m.test((await request(app.getHttpServer()).get('/metrics')).text),
      5000,
      'client gone',
    );
  });
});
