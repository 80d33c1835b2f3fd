import { createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { INestApplication } from '@nestjs/common';
import { MqttClient } from 'mqtt';
import request from 'supertest';

import { count, TestDatabase, waitFor } from '../../../test/support/database';
import { Pipeline, startPipeline } from '../../../test/support/pipeline';
import { openSse } from '../../../test/support/sse';
import { startWebhookServer } from '../../../test/support/webhook';

const SECRET = 'webhook-secret-for-tests-0123456789';

describe('alerts through the real path (MQTT → ingest → readings trigger → processor → SSE, MQTT, webhook)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let pipeline: Pipeline;
  let mqtt: MqttClient;
  let base: string;
  let viewer: string;
  let operator: string;
  let admin: string;
  let scripts: string;
  const run = `${process.pid}`;

  beforeAll(async () => {
    scripts = mkdtempSync(path.join(tmpdir(), 'sensorhub-scripts-'));
    writeFileSync(path.join(scripts, 'ok.sh'), '#!/bin/sh\ncat > /dev/null\necho handled\n');
    chmodSync(path.join(scripts, 'ok.sh'), 0o755);
    writeFileSync(path.join(tmpdir(), `evil-${run}.sh`), '#!/bin/sh\necho evil\n');
    chmodSync(path.join(tmpdir(), `evil-${run}.sh`), 0o755);
    pipeline = await startPipeline('alerts-test', {
      apiEnv: {
        PROCESSOR_INTERVAL_MS: '100',
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_RETRY_BASE_MS: '50',
        ALERT_SCRIPTS_DIR: scripts,
        ALERT_MQTT_TOPIC: `alerts-${run}/{deviceId}`,
      },
    });
    ({ db, app, mqtt, base } = pipeline);
    ({ viewer, operator, admin } = pipeline.tokens);
  });

  afterAll(() => pipeline?.stop());

  const http = () => request(app.getHttpServer());
  const createRule = async (body: object, token = operator) =>
    (
      await http()
        .post('/api/v1/alert-rules')
        .auth(token, { type: 'bearer' })
        .send({ severity: 'warning', scope: 'all', ...body })
        .expect(201)
    ).body as { id: string };
  const insert = (device: string, metric: string, values: number[], startMsAgo = 60_000, stepMs = 1000) =>
    db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value)
         SELECT $1, $2, now() - make_interval(secs => $4::double precision / 1000) + make_interval(secs => (i - 1) * $5::double precision / 1000), v
           FROM unnest($3::float8[]) WITH ORDINALITY AS x(v, i)`,
      [device, metric, values, startMsAgo, stepMs],
    );
  const alertsOf = async (ruleId: string) =>
    (
      await db.client.query<{ id: string; state: string; value: number }>(
        `SELECT id, state, value FROM alerts WHERE rule_id = $1 ORDER BY id`,
        [ruleId],
      )
    ).rows;

  describe('rules', () => {
    it('refuses a rule that could never clear with a field-level 400', async () => {
      const res = await http()
        .post('/api/v1/alert-rules')
        .auth(operator, { type: 'bearer' })
        .send({
          name: 'x',
          scope: 'all',
          metric: 'temperature',
          condition: 'above',
          threshold: 30,
          clearThreshold: 35,
          severity: 'info',
        })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        { field: 'clearThreshold', errors: [expect.stringContaining('at most threshold')] },
      ]);
      const empty = await http()
        .post('/api/v1/alert-rules')
        .auth(operator, { type: 'bearer' })
        .send({
          name: 'x',
          scope: 'all',
          metric: 't',
          condition: 'outside',
          threshold: 10,
          thresholdHigh: 5,
          severity: 'info',
        })
        .expect(400);
      expect(empty.body.details[0].field).toBe('thresholdHigh');
    });

    it('lets viewers read rules but not write them', async () => {
      await http()
        .post('/api/v1/alert-rules')
        .auth(viewer, { type: 'bearer' })
        .send({ name: 'x', scope: 'all', metric: 't', condition: 'above', threshold: 1, severity: 'info' })
        .expect(403);
      await http().get('/api/v1/alert-rules').auth(viewer, { type: 'bearer' }).expect(200);
    });

    it('runs scripts only for admins and only from inside ALERT_SCRIPTS_DIR', async () => {
      const rule = { name: 's', metric: 'script_metric', condition: 'above', threshold: 1 };
      await http()
        .post('/api/v1/alert-rules')
        .auth(operator, { type: 'bearer' })
        .send({ ...rule, scope: 'all', severity: 'info', actions: [{ type: 'script', path: 'ok.sh' }] })
        .expect(403);
      const outside = await http()
        .post('/api/v1/alert-rules')
        .auth(admin, { type: 'bearer' })
        .send({
          ...rule,
          scope: 'all',
          severity: 'info',
          actions: [{ type: 'script', path: `../evil-${run}.sh` }],
        })
        .expect(400);
      expect(outside.body.details).toEqual([
        { field: 'actions[0].path', errors: [expect.stringContaining('outside ALERT_SCRIPTS_DIR')] },
      ]);
      // a rule written with psql gets no further: the processor refuses to run it and marks the event failed
      const { id } = await createRule({ ...rule, actions: [{ type: 'script', path: 'ok.sh' }] }, admin);
      await db.client.query(
        `INSERT INTO alert_rules (name, scope, metric, condition, threshold, severity, actions)
        VALUES ('evil', 'all', 'script_metric', 'above', 1, 'info', $1)`,
        [JSON.stringify([{ type: 'script', path: path.join(tmpdir(), `evil-${run}.sh`) }])],
      );
      await insert(`script-${run}`, 'script_metric', [5], 1000);
      const outcomes = await waitFor(async () => {
        const { rows } = await db.client.query<{ name: string; status: string; outcome: string }>(
          `SELECT r.name, e.status, e.outcome FROM alert_events e JOIN alerts a ON a.id = e.alert_id
             JOIN alert_rules r ON r.id = a.rule_id WHERE e.action ->> 'type' = 'script' ORDER BY r.name`,
        );
        return rows.length === 2 && rows.every((r) => r.status !== 'pending') && rows;
      });
      expect(outcomes).toEqual([
        { name: 'evil', status: 'failed', outcome: expect.stringContaining('outside ALERT_SCRIPTS_DIR') },
        { name: 's', status: 'done', outcome: 'exit 0: handled' },
      ]);
      expect(id).toBeTruthy();
    });
  });

  it('fires on an MQTT reading above threshold: SSE event, MQTT publish and signed webhook arrive', async () => {
    const device = `hot-${run}`;
    const hook = await startWebhookServer();
    const published: { topic: string; payload: string }[] = [];
    const topic = `alerts-${run}/${device}`;
    await mqtt.subscribeAsync(topic, { qos: 1 });
    mqtt.on('message', (t, p) => t === topic && published.push({ topic: t, payload: p.toString() }));
    const rule = await createRule({
      name: 'too hot',
      scope: 'device',
      scopeDeviceId: device,
      metric: 'temperature',
      condition: 'above',
      threshold: 30,
      severity: 'critical',
      actions: [{ type: 'mqtt' }, { type: 'webhook', url: hook.url }],
    });
    const { ticket } = (await http().post('/api/v1/live/ticket').auth(viewer, { type: 'bearer' }).expect(200))
      .body;
    const sse = await openSse(`${base}/api/v1/live?ticket=${encodeURIComponent(ticket)}`);
    try {
      await waitFor(async () => sse.events.some((e) => e.event === 'ready'));
      await mqtt.publishAsync(`devices/${device}/temperature`, '25', { qos: 1 });
      await mqtt.publishAsync(`devices/${device}/temperature`, '35.5', { qos: 1 });
      const ev = await waitFor(async () => sse.events.find((e) => e.event === 'alert'), 10_000, 'SSE alert');
      expect(ev.data).toMatchObject({
        ruleId: rule.id,
        deviceId: device,
        transition: 'firing',
        value: 35.5,
        severity: 'critical',
      });
      await waitFor(
        async () => published.length > 0 && hook.calls.length > 0,
        10_000,
        'MQTT publish and webhook',
      );
      expect(JSON.parse(published[0].payload)).toMatchObject({
        event: 'alert.firing',
        deviceId: device,
        value: 35.5,
      });
      const call = hook.calls[0];
      expect(call.headers['x-sensorhub-signature']).toBe(
        'sha256=' + createHmac('sha256', SECRET).update(call.body).digest('hex'),
      );
      expect(JSON.parse(call.body)).toMatchObject({
        event: 'alert.firing',
        idempotencyKey: call.headers['idempotency-key'],
      });
      const alerts = await alertsOf(rule.id);
      expect(alerts).toEqual([expect.objectContaining({ state: 'firing', value: 35.5 })]);

      // acknowledge, then a cool reading resolves it
      const ack = await http()
        .post(`/api/v1/alerts/${alerts[0].id}/acknowledge`)
        .auth(operator, { type: 'bearer' })
        .send({ note: 'opening the vents' })
        .expect(200);
      expect(ack.body).toMatchObject({
        acknowledgedByEmail: 'operator@example.com',
        ackNote: 'opening the vents',
      });
      await http()
        .post(`/api/v1/alerts/${alerts[0].id}/acknowledge`)
        .auth(operator, { type: 'bearer' })
        .send({})
        .expect(409);
      await http()
        .post(`/api/v1/alerts/${alerts[0].id}/acknowledge`)
        .auth(viewer, { type: 'bearer' })
        .send({})
        .expect(403);
      await mqtt.publishAsync(`devices/${device}/temperature`, '22', { qos: 1 });
      await waitFor(async () =>
        sse.events.some(
          (e) => e.event === 'alert' && (e.data as { transition: string }).transition === 'resolved',
        ),
      );
      expect(
        sse.events
          .filter((e) => e.event === 'alert')
          .map((e) => (e.data as { transition: string }).transition),
      ).toEqual(['firing', 'acknowledged', 'resolved']);
      const list = await http()
        .get(`/api/v1/devices/${device}/alerts`)
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      expect(list.body).toMatchObject({
        total: 1,
        items: [{ state: 'resolved', ruleName: 'too hot', deviceName: null }],
      });
      // the device's display name, as soon as it has one
      await db.client.query(`UPDATE devices SET name = 'Cold room 2' WHERE id = $1`, [device]);
      const named = await http()
        .get(`/api/v1/alerts/${alerts[0].id}`)
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      expect(named.body).toMatchObject({ deviceId: device, deviceName: 'Cold room 2' });
      const events = await http()
        .get(`/api/v1/alerts/${alerts[0].id}/events`)
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      expect(
        events.body.map(
          (e: { transition: string; action: string; status: string }) => `${e.transition}/${e.action}`,
        ),
      ).toEqual(
        expect.arrayContaining([
          'firing/sse',
          'firing/mqtt',
          'firing/webhook',
          'acknowledged/sse',
          'resolved/sse',
        ]),
      );
    } finally {
      sse.close();
      await hook.close();
    }
  });

  it('fires for a reading inserted with plain SQL (no ingest involved)', async () => {
    const rule = await createRule({ name: 'psql', metric: 'psql_metric', condition: 'below', threshold: 0 });
    await insert(`psql-${run}`, 'psql_metric', [-3], 1000);
    await waitFor(async () => (await alertsOf(rule.id)).length === 1, 10_000, 'alert from psql insert');
  });

  it('keeps a noisy series from flapping: hysteresis fires once and clears once', async () => {
    const rule = await createRule({
      name: 'hyst',
      metric: 'noisy',
      condition: 'above',
      threshold: 30,
      clearThreshold: 25,
    });
    await insert(`noisy-${run}`, 'noisy', [31, 29, 30.5, 28, 31, 26, 29, 24, 26, 29], 20_000);
    await waitFor(async () => (await alertsOf(rule.id)).some((a) => a.state === 'resolved'));
    expect(await alertsOf(rule.id)).toEqual([expect.objectContaining({ state: 'resolved', value: 31 })]);
  });

  it('fires a rule with a duration only once the condition held that long', async () => {
    const rule = await createRule({
      name: 'dur',
      metric: 'dur_metric',
      condition: 'above',
      threshold: 10,
      durationSeconds: 2,
    });
    await insert(`dur-${run}`, 'dur_metric', [50], 0);
    await waitFor(async () => (await alertsOf(rule.id))[0]?.state === 'pending');
    const t0 = Date.now();
    await waitFor(async () => (await alertsOf(rule.id))[0]?.state === 'firing', 10_000);
    expect(Date.now() - t0).toBeGreaterThan(1000);
    // a breach that ends before the duration never fires
    const brief = await createRule({
      name: 'brief',
      metric: 'brief_metric',
      condition: 'above',
      threshold: 10,
      durationSeconds: 60,
    });
    await insert(`brief-${run}`, 'brief_metric', [50, 1], 2000);
    await waitFor(
      async () =>
        (await count(db.client, `SELECT count(*) AS n FROM alert_rule_state WHERE rule_id = $1`, [
          brief.id,
        ])) === 1,
    );
    expect(await alertsOf(brief.id)).toEqual([]);
  });

  it('fires no-data for a silent device and resolves when it speaks again', async () => {
    const device = `quiet-${run}`;
    const rule = await createRule({
      name: 'quiet',
      scope: 'device',
      scopeDeviceId: device,
      metric: 'heartbeat',
      condition: 'no_data',
      noDataSeconds: 1,
    });
    await db.client.query(`INSERT INTO devices (id, first_seen, last_seen) VALUES ($1, now(), now())`, [
      device,
    ]);
    await insert(device, 'heartbeat', [1], 0);
    await waitFor(async () => (await alertsOf(rule.id))[0]?.state === 'firing', 10_000, 'no-data alert');
    await insert(device, 'heartbeat', [1], 0);
    await waitFor(async () => (await alertsOf(rule.id))[0]?.state === 'resolved', 10_000, 'resolved');
  });

  it('retries a failing webhook with backoff and one idempotency key until it succeeds', async () => {
    const hook = await startWebhookServer([500, 502, 503]);
    try {
      const rule = await createRule({
        name: 'retry',
        metric: 'retry_metric',
        condition: 'above',
        threshold: 1,
        actions: [{ type: 'webhook', url: hook.url }],
      });
      await insert(`retry-${run}`, 'retry_metric', [5], 1000);
      await waitFor(async () => hook.calls.some((c) => c.status === 200), 15_000, 'successful delivery');
      expect(hook.calls.map((c) => c.status)).toEqual([500, 502, 503, 200]);
      expect(new Set(hook.calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
      const [alert] = await alertsOf(rule.id);
      const events = (
        await http().get(`/api/v1/alerts/${alert.id}/events`).auth(viewer, { type: 'bearer' }).expect(200)
      ).body;
      expect(events.find((e: { action: string }) => e.action === 'webhook')).toMatchObject({
        status: 'done',
        attempts: 4,
        outcome: 'HTTP 200',
      });
    } finally {
      await hook.close();
    }
  });

  it('previews a draft rule over stored readings', async () => {
    const device = `past-${run}`;
    await insert(device, 'past_metric', [1, 2, 9, 9, 1, 1], 3_600_000, 60_000);
    const res = await http()
      .post('/api/v1/alert-rules/preview')
      .auth(viewer, { type: 'bearer' })
      .send({
        name: 'draft',
        scope: 'device',
        scopeDeviceId: device,
        metric: 'past_metric',
        condition: 'above',
        threshold: 5,
        severity: 'info',
        from: new Date(Date.now() - 7_200_000).toISOString(),
      })
      .expect(200);
    expect(res.body.readings).toBe(6);
    expect(res.body.devices).toEqual([
      {
        deviceId: device,
        transitions: [
          expect.objectContaining({ kind: 'firing', value: 9 }),
          expect.objectContaining({ kind: 'resolved', value: 1 }),
        ],
      },
    ]);
  });
});
