import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { createUsers, login, startApi } from '../../../test/support/api';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';

// The metric catalog through the API: served to the dashboard, applied to packets, re-read without a restart.
describe('metric catalog (api)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let admin: string;
  let viewer: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-catalog-'));
  const catalogFile = path.join(dir, 'metrics.yaml');
  const envFile = path.join(dir, '.env');
  const writeCatalog = (max: number) =>
    fs.writeFileSync(
      catalogFile,
      `metrics:\n  temperature:\n    display_name: Temperature\n    unit: °C\n    decimals: 1\n    min: -80\n    max: ${max}\n`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await createUsers(db.client, ['viewer', 'admin']);
    writeCatalog(150);
    fs.writeFileSync(envFile, '');
    ({ app } = await startApi(db.url, { METRICS_CATALOG: catalogFile, ENV_FILE: envFile }));
    [admin, viewer] = [await login(app, 'admin@example.com'), await login(app, 'viewer@example.com')];
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const packet = (value: number) =>
    request(app.getHttpServer())
      .post('/api/v1/packets')
      .auth(admin, { type: 'bearer' })
      .send({ device_id: 'cat-1', measurements: { temperature: value } });

  it('serves display names, units, decimals and bounds to any logged-in user', async () => {
    const res = await request(app.getHttpServer())
      .get('/api/v1/metrics/catalog')
      .auth(viewer, { type: 'bearer' })
      .expect(200);
    expect(res.body).toEqual({
      metrics: [
        { name: 'temperature', displayName: 'Temperature', unit: '°C', decimals: 1, min: -80, max: 150 },
      ],
    });
  });

  it("refuses a packet outside a metric's bounds, and takes it once the catalog was widened and re-read", async () => {
    const refused = await packet(200).expect(400);
    expect(refused.body).toMatchObject({
      code: 'INVALID_PACKET',
      details: { reason: 'OUT_OF_RANGE' },
      message: 'temperature 200 °C is outside its bounds [-80, 150] °C',
    });
    writeCatalog(300);
    const reread = await request(app.getHttpServer())
      .get('/api/v1/rereadenv')
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(reread.body.catalog).toEqual({ file: catalogFile, metrics: 1 });
    expect((await packet(200)).status).toBeLessThan(300);
  });

  it('answers a broken catalog with 400 naming the line, and keeps the one in force', async () => {
    fs.writeFileSync(catalogFile, 'metrics:\n  temperature:\n    max: hot\n');
    const res = await request(app.getHttpServer())
      .get('/api/v1/rereadenv')
      .auth(admin, { type: 'bearer' })
      .expect(400);
    expect(res.body.message).toBe(`${catalogFile} line 3: temperature.max must be a number`);
    expect((await packet(250)).status).toBeLessThan(300);
    expect((await packet(350)).status).toBe(400);
  });
});
