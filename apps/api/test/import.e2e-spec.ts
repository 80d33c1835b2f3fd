import { execFile } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createUsers, login, startApi } from '../../../test/support/api';
import { count, createTestDatabase, TestDatabase } from '../../../test/support/database';
import { built } from '../../../scripts/lib/paths';

const N = 1_000_000;
// line numbers (1 = the header) of the bad lines and what is wrong with each
const BAD: Record<number, [string, string]> = {
  2: ['dev-1,temperature,2025-01-01T00:00:00Z,NaN', 'INVALID_VALUE'],
  1_000: ['dev 1,temperature,2025-01-01T00:00:00Z,1', 'INVALID_DEVICE_ID'],
  50_001: ['dev-1,Temperature,2025-01-01T00:00:00Z,1', 'INVALID_METRIC'],
  123_456: ['dev-1,temperature,2025-01-01T25:00:00Z,1', 'INVALID_TIMESTAMP'],
  300_000: ['dev-1,temperature,2999-01-01T00:00:00Z,1', 'TIMESTAMP_OUT_OF_RANGE'],
  444_444: ['dev-1,temperature,2025-01-01T00:00:00Z', 'INVALID_LINE'],
  600_000: ['dev-1,temperature,2025-01-01T00:00:00Z,1,2', 'INVALID_LINE'],
  777_777: ['dev-1,status,2025-01-01T00:00:00Z,1', 'INVALID_METRIC'],
  900_000: ['dev-1,temperature,2025-13-01T00:00:00Z,1', 'INVALID_TIMESTAMP'],
  1_000_001: ['dev-1,temperature,2025-01-01T00:00:00Z,0x10', 'INVALID_VALUE'],
};

/** N data lines after a header: 200 devices × 2 metrics every 5 minutes back from 2025-06-01, bad lines replaced. */
function csv(): string {
  const parts = ['device_id,metric,ts,value'];
  const end = Date.UTC(2025, 5, 1);
  for (let i = 0; i < N; i++) {
    const line = i + 2;
    if (BAD[line]) {
      parts.push(BAD[line][0]);
      continue;
    }
    const ts = new Date(end - Math.floor(i / 400) * 300_000).toISOString();
    parts.push(
      `imp-${i % 200},${(i >> 0) % 400 < 200 ? 'temperature' : 'humidity'},${ts},${((i * 7919) % 10_007) / 100}`,
    );
  }
  return parts.join('\n') + '\n';
}

describe('import of history: POST /api/v1/readings/import and npm run import', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let operator: string;
  let viewer: string;
  let body: Buffer;
  const http = () => request(app.getHttpServer());
  const post = (token: string, type = 'text/csv') =>
    http().post('/api/v1/readings/import').set('Content-Type', type).auth(token, { type: 'bearer' });

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer', 'operator']);
    ({ app } = await startApi(db.url));
    [viewer, operator] = await Promise.all(['viewer', 'operator'].map((r) => login(app, `${r}@example.com`)));
    body = Buffer.from(csv());
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('stores a million rows, reports the 10 bad lines by number, and stores nothing on a second import', async () => {
    const first = await post(operator).send(body).expect(200);
    expect(first.body).toMatchObject({ lines: N, stored: N - 10, duplicates: 0, rejected: 10 });
    expect(first.body.errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual(
      Object.entries(BAD).map(([line, [, reason]]) => [Number(line), reason]),
    );
    expect(await count(db.client, 'SELECT count(*) n FROM readings')).toBe(N - 10);
    // the rollups followed, and the rows went into week partitions made for 2025, not the default one
    expect(await count(db.client, 'SELECT sum(count) n FROM readings_hourly')).toBe(N - 10);
    expect(await count(db.client, 'SELECT sum(count) n FROM readings_daily')).toBe(N - 10);
    expect(await count(db.client, 'SELECT count(*) n FROM readings_default')).toBe(0);
    expect(await count(db.client, `SELECT count(*) n FROM devices WHERE id LIKE 'imp-%'`)).toBe(200);

    const again = await post(operator).send(body).expect(200);
    expect(again.body).toMatchObject({ lines: N, stored: 0, duplicates: N - 10, rejected: 10 });
    expect(await count(db.client, 'SELECT count(*) n FROM readings')).toBe(N - 10);
    expect(await count(db.client, 'SELECT sum(count) n FROM readings_hourly')).toBe(N - 10);
  }, 300_000);

  it("reads back the API's export (with its unit column): a device exported, deleted and imported is the same", async () => {
    const res = await http()
      .get('/api/v1/devices/imp-7/readings/export')
      .query({ from: '2025-01-01T00:00:00Z', to: '2025-06-02T00:00:00Z' })
      .auth(viewer, { type: 'bearer' })
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      })
      .expect(200);
    const lines = (res.body as string).trimEnd().split('\n');
    expect(lines[0]).toBe('device_id,metric,ts,value,unit');
    // imp-7 has humidity and temperature: each line carries its metric's unit from the catalog
    expect(lines[1]).toMatch(/^imp-7,humidity,2025-[\d-]+T[\d:.]+Z,[\d.]+,%$/);
    expect(lines[lines.length - 1]).toMatch(/^imp-7,temperature,2025-[\d-]+T[\d:.]+Z,[\d.]+,°C$/);
    // the sum as numeric: exact, where a float8 sum depends on the order the rows are read in
    const before = await db.client.query(
      `SELECT count(*)::int AS n, sum(value::numeric)::text AS s FROM readings WHERE device_id = 'imp-7'`,
    );
    expect(lines.length - 1).toBe(before.rows[0].n);
    await db.client.query(`DELETE FROM readings WHERE device_id = 'imp-7'`);
    const back = await post(operator)
      .send(res.body as string)
      .expect(200);
    expect(back.body).toMatchObject({ lines: before.rows[0].n, stored: before.rows[0].n, rejected: 0 });
    const after = await db.client.query(
      `SELECT count(*)::int AS n, sum(value::numeric)::text AS s FROM readings WHERE device_id = 'imp-7'`,
    );
    expect(after.rows[0]).toEqual(before.rows[0]);
    // a fifth field is refused without the unit header, as before
    const plain = await post(operator).send('imp-7,temperature,2025-01-01T00:00:00Z,1,°C\n').expect(200);
    expect(plain.body).toMatchObject({
      stored: 0,
      rejected: 1,
      errors: [{ line: 1, reason: 'INVALID_LINE' }],
    });
  }, 120_000);

  it('takes NDJSON, counts duplicates within the file, and is for operators', async () => {
    const lines = [
      { device_id: 'nd-1', metric: 'co2', ts: '2025-02-01T00:00:00Z', value: 400 },
      { device_id: 'nd-1', metric: 'co2', ts: Date.UTC(2025, 1, 1, 0, 1), value: 410 },
      { device_id: 'nd-1', metric: 'co2', ts: '2025-02-01T00:00:00.000Z', value: 999 },
      { device_id: 'nd-1', metric: 'co2', ts: '2025-02-01T00:02:00Z', value: '420' },
    ].map((o) => JSON.stringify(o));
    const text = [...lines, '{"device_id":'].join('\n');
    await post(viewer, 'application/x-ndjson').send(text).expect(403);
    const res = await post(operator, 'application/x-ndjson').send(text).expect(200);
    expect(res.body).toMatchObject({ lines: 5, stored: 2, duplicates: 1, rejected: 2 });
    expect(res.body.errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [4, 'INVALID_VALUE'],
      [5, 'INVALID_JSON'],
    ]);
    const { rows } = await db.client.query(`SELECT value FROM readings WHERE device_id = 'nd-1' ORDER BY ts`);
    expect(rows).toEqual([{ value: 400 }, { value: 410 }]);
    const bad = await post(operator, 'application/json').send('{}').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('npm run import -- FILE prints the same report and exits 1 when a line was rejected', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sensorhub-import-'));
    try {
      const file = path.join(dir, 'history.csv');
      await writeFile(
        file,
        'cli-1,temperature,2024-12-31T23:00:00+01:00,1.5\ncli-1,temperature,yesterday,2\n',
      );
      const run = promisify(execFile);
      const res = await run(process.execPath, [built('import'), file], {
        env: { PATH: process.env.PATH, DATABASE_URL: db.url },
      }).catch((e: { code: number; stdout: string }) => e);
      expect((res as { code?: number }).code).toBe(1);
      const report = JSON.parse((res as { stdout: string }).stdout);
      expect(report).toMatchObject({
        lines: 2,
        stored: 1,
        rejected: 1,
        errors: [{ line: 2, reason: 'INVALID_TIMESTAMP' }],
      });
      const { rows } = await db.client.query(`SELECT ts FROM readings WHERE device_id = 'cli-1'`);
      expect(rows).toEqual([{ ts: new Date('2024-12-31T22:00:00Z') }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
