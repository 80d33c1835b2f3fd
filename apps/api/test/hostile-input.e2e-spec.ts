import { gzipSync } from 'node:zlib';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

/**
 * Issue 17's robustness findings (7–10), each a former 500: now a 4xx in the one error shape, through the real app
 * and PostgreSQL. (Every response here is also checked against the OpenAPI document by the contract hook.)
 */
describe('hostile and malformed input', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let viewer: string;
  let operator: string;
  let admin: string;
  let userId: string;
  const http = () => request(app.getHttpServer());
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);

  beforeAll(async () => {
    db = await createTestDatabase();
    const ids = await createUsers(db.client);
    userId = ids.viewer;
    // a 1 MB limit, so the 100,000-deep body below reaches the parsers instead of the size limit
    ({ app } = await startApi(db.url, { BODY_LIMIT_BYTES: String(1 << 20), PACKET_COMMIT_WAIT_MS: '50' }));
    [viewer, operator, admin] = await Promise.all(
      ['viewer', 'operator', 'admin'].map((r) => login(app, `${r}@example.com`)),
    );
    await db.client.query(`INSERT INTO devices (id, first_seen, last_seen) VALUES ('sim-001', now(), now())`);
    await db.client.query(
      `INSERT INTO readings (device_id, metric, ts, value) VALUES ('sim-001', 'temperature', $1, 21.5)`,
      [hour],
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const expectError = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      statusCode: status,
      code,
      message: expect.any(String),
      ...(res.body.details === undefined ? {} : { details: res.body.details }),
    });
  };

  describe('7: NUL bytes, out-of-range dates, huge and deep bodies', () => {
    it('answers 400 to a NUL byte in a device id, on the device and on its readings', async () => {
      for (const path of [
        '/api/v1/devices/sim-001%00x',
        '/api/v1/devices/sim-001%00x/readings?metric=temperature',
        '/api/v1/devices/sim-001%00x/readings/export',
      ]) {
        const res = await http().get(path).auth(viewer, { type: 'bearer' });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.details).toEqual([{ field: 'id', errors: [expect.any(String)] }]);
      }
    });

    it('answers 400 to NUL in a query value, a body string and a body key', async () => {
      expectError(
        await http()
          .get('/api/v1/devices/sim-001/readings')
          .query({ metric: 'temperature', tz: 'Europe/Berlin\u0000' })
          .auth(viewer, { type: 'bearer' }),
        400,
        'VALIDATION_FAILED',
      );
      const name = await http()
        .patch('/api/v1/devices/sim-001')
        .auth(operator, { type: 'bearer' })
        .send({ name: 'a\u0000b' });
      expectError(name, 400, 'VALIDATION_FAILED');
      expect(name.body.details[0].field).toBe('name');
      const key = await http()
        .patch('/api/v1/devices/sim-001')
        .auth(operator, { type: 'bearer' })
        .send({ metadata: { 'floor\u0000': 1 } });
      expectError(key, 400, 'VALIDATION_FAILED');
      expect(key.body.details[0].field).toBe('metadata');
    });

    it("answers 400 to dates outside PostgreSQL's range (the JS minimum, year -4714)", async () => {
      for (const from of ['-271821-04-20T00:00:00.000Z', '-004714-01-01T00:00:00Z', '-8640000000000000']) {
        expectError(
          await http()
            .get('/api/v1/devices/sim-001/readings')
            .query({ metric: 'temperature', from })
            .auth(viewer, { type: 'bearer' }),
          400,
          'VALIDATION_FAILED',
        );
      }
    });

    it('answers 413 in the error shape to 10 MB bodies on login, packets and device PATCH', async () => {
      const big = 'x'.repeat(10 * 1024 * 1024);
      const cases = [
        http().post('/api/v1/auth/login').send({ email: 'a@example.com', password: big }),
        http()
          .post('/api/v1/packets')
          .auth(operator, { type: 'bearer' })
          .send({ device_id: 'sim-001', measurements: { t: 1 }, status: big }),
        http().patch('/api/v1/devices/sim-001').auth(operator, { type: 'bearer' }).send({ name: big }),
      ];
      for (const res of await Promise.all(cases)) {
        expectError(res, 413, 'PAYLOAD_TOO_LARGE');
        expect(res.body.message).toBe(`request body is larger than ${1 << 20} bytes`);
      }
    });

    it('answers 400 to JSON nested 100,000 deep, and to one nested past the 32 levels any request needs', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      for (const body of [deep, `{"metadata":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`]) {
        const res = await http()
          .patch('/api/v1/devices/sim-001')
          .auth(operator, { type: 'bearer' })
          .set('Content-Type', 'application/json')
          .send(body);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.message).toMatch(/nested deeper than 32 levels/);
      }
    });

    it('answers 400 INVALID_PACKET to an epoch-ms timestamp beyond 8.64e15', async () => {
      const res = await http()
        .post('/api/v1/packets')
        .auth(operator, { type: 'bearer' })
        .send({ device_id: 'sim-001', measurements: { t: 1 }, timestamp: 9e15 });
      expectError(res, 400, 'INVALID_PACKET');
      expect(res.body.details).toMatchObject({ field: 'timestamp' });
    });

    it('answers 400 to the PATCH bodies that were 500s (null metadata, arrays, wrong types)', async () => {
      for (const body of [{ metadata: null }, { metadata: [1, 2] }, { metadata: 'x' }, { name: 5 }, []]) {
        expectError(
          await http().patch('/api/v1/devices/sim-001').auth(operator, { type: 'bearer' }).send(body),
          400,
          'VALIDATION_FAILED',
        );
      }
      for (const body of [{ role: null }, { disabled: null }, { role: 'root' }, { disabled: 'yes' }]) {
        expectError(
          await http().patch(`/api/v1/users/${userId}`).auth(admin, { type: 'bearer' }).send(body),
          400,
          'VALIDATION_FAILED',
        );
      }
      const { rows } = await db.client.query('SELECT metadata FROM devices WHERE id = $1', ['sim-001']);
      expect(rows[0].metadata).toEqual({});
    });
  });

  describe('8: what ingest cannot store is refused, never 201/202', () => {
    it('refuses a packet with NUL in status', async () => {
      const res = await http()
        .post('/api/v1/packets')
        .auth(operator, { type: 'bearer' })
        .send({ device_id: 'sim-001', measurements: { t: 1 }, status: 'o\u0000k' });
      expect(res.status).toBe(400);
      expect(['VALIDATION_FAILED', 'INVALID_PACKET']).toContain(res.body.code);
    });

    it('refuses a packet over 64 KiB', async () => {
      const measurements = Object.fromEntries(
        Array.from({ length: 5000 }, (_, i) => [`metric_${String(i).padStart(6, '0')}`, 1.25]),
      );
      const res = await http()
        .post('/api/v1/packets')
        .auth(operator, { type: 'bearer' })
        .send({ device_id: 'sim-001', measurements });
      expect(JSON.stringify(measurements).length).toBeGreaterThan(64 * 1024);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toMatchObject({ statusCode: res.status, code: expect.any(String) });
    });
  });

  describe('9: one strict date rule, ISO 8601 with zone', () => {
    it.each([["' OR '1'='1"], ['foo 12'], ['2026-02-31T00:00:00Z'], ['12'], ['2026-01-15T10:30:00']])(
      'answers 400 to from=%j on readings, export and messages',
      async (bad) => {
        const calls = [
          http().get('/api/v1/devices/sim-001/readings').query({ metric: 'temperature', from: bad }),
          http().get('/api/v1/devices/sim-001/readings/export').query({ to: bad }),
          http().get('/api/v1/messages').query({ key: 'temperature', start_time: bad }),
        ];
        for (const res of await Promise.all(calls.map((c) => c.auth(viewer, { type: 'bearer' })))) {
          expectError(res, 400, 'VALIDATION_FAILED');
          expect(res.body.message).toMatch(/must be ISO 8601 date and time with a zone/);
        }
      },
    );

    it('holds packets to the same rule: no zone-less time, no epoch seconds, no impossible date', async () => {
      const now = Date.now();
      for (const timestamp of [
        new Date(now).toISOString().slice(0, 19),
        Math.floor(now / 1000),
        '2026-02-31T00:00:00Z',
        "' OR '1'='1",
      ]) {
        const res = await http()
          .post('/api/v1/packets')
          .auth(operator, { type: 'bearer' })
          .send({ device_id: 'sim-001', measurements: { t: 1 }, timestamp });
        expectError(res, 400, 'INVALID_PACKET');
        expect(res.body.details).toEqual({ field: 'timestamp', reason: 'INVALID_TIMESTAMP' });
      }
      for (const timestamp of [new Date(now).toISOString(), now]) {
        await http()
          .post('/api/v1/packets')
          .auth(operator, { type: 'bearer' })
          .send({ device_id: 'sim-001', measurements: { t: 1 }, timestamp })
          .expect(202); // no ingest in this file: published, not committed
      }
    });

    it('reads ISO 8601 with Z or an offset as the same instant', async () => {
      const to = new Date(hour.getTime() + 1000);
      const offset = `${new Date(hour.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
      const a = await http()
        .get('/api/v1/devices/sim-001/readings')
        .query({ metric: 'temperature', from: hour.toISOString(), to: to.toISOString() })
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      const b = await http()
        .get('/api/v1/devices/sim-001/readings')
        .query({ metric: 'temperature', from: offset, to: to.toISOString() })
        .auth(viewer, { type: 'bearer' })
        .expect(200);
      expect(a.body.points).toEqual([{ ts: hour.toISOString(), min: 21.5, avg: 21.5, max: 21.5, count: 1 }]);
      expect(b.body).toEqual(a.body);
    });
  });

  describe('10: null fields, ancient export ranges, bodies that do not decode', () => {
    it('answers 400 before any CSV byte to an export starting before 4713 BC', async () => {
      const res = await http()
        .get('/api/v1/devices/sim-001/readings/export')
        .query({ from: '-004714-11-24T00:00:00Z' })
        .auth(viewer, { type: 'bearer' });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.headers['content-disposition']).toBeUndefined();
    });

    it('answers 400 to a body that is not gzip under Content-Encoding: gzip, and reads a real gzip body', async () => {
      const bad = await http()
        .patch('/api/v1/devices/sim-001')
        .auth(operator, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"name":"plain"}');
      expectError(bad, 400, 'VALIDATION_FAILED');
      const unknown = await http()
        .patch('/api/v1/devices/sim-001')
        .auth(operator, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'compress')
        .send('{"name":"plain"}');
      expectError(unknown, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const ok = await http()
        .patch('/api/v1/devices/sim-001')
        .auth(operator, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((b: Buffer) => b as unknown as string) // superagent would send a Buffer as JSON
        .send(gzipSync('{"name":"zipped"}'))
        .expect(200);
      expect(ok.body.name).toBe('zipped');
    });

    it('answers 400 to JSON that does not parse', async () => {
      const res = await http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email": ');
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.message).toBe('Unexpected end of JSON input');
    });
  });

  describe('methods a route does not take', () => {
    it('answers 405 with Allow to TRACE, PUT and PATCH on routes that exist, 404 where none does', async () => {
      const trace = await http().trace('/api/v1/devices').auth(viewer, { type: 'bearer' });
      expectError(trace, 405, 'METHOD_NOT_ALLOWED');
      expect(trace.headers.allow).toBe('GET, HEAD');
      const put = await http().put('/api/v1/devices/sim-001').auth(viewer, { type: 'bearer' }).send({});
      expectError(put, 405, 'METHOD_NOT_ALLOWED');
      expect(put.headers.allow).toBe('DELETE, GET, HEAD, PATCH');
      const patch = await http().patch('/api/v1/ping').auth(viewer, { type: 'bearer' }).send({});
      expect(patch.headers.allow).toBe('GET, HEAD');
      expectError(
        await http().get('/api/v1/nothing-here').auth(viewer, { type: 'bearer' }),
        404,
        'NOT_FOUND',
      );
    });
  });
});
