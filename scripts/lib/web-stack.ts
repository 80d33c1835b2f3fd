// The real SensorHub behind a browser, for the browser tests (apps/web/e2e) and bench:web: a fresh migrated database
// with seeded users, devices and readings, the broker, the built api (serving the built dashboard) and ingest as
// their own processes, and Chromium from the OS.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import mqtt, { MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { Client } from 'pg';

import { refreshHourlyRollup } from '@sensorhub/domain';

import { ApiProcess, startApiProcess, startIngestProcess } from './apps';
import { buildDashboardIfStale } from './dashboard';
import { ownDatabase } from './databases';
import { freePort, startEmbeddedBroker, startEmbeddedPostgres } from './embedded';
import { ROOT, WEB_DIST } from './paths';
import { waitFor } from './processes';
import { insertSeries, insertUsers, SeedUser } from './seed';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const PASSWORD = 'correct-horse-battery-staple';
export const USERS = {
  admin: { email: 'admin@sensorhub.test', password: PASSWORD, role: 'admin' },
  operator: { email: 'operator@sensorhub.test', password: PASSWORD, role: 'operator' },
  viewer: { email: 'viewer@sensorhub.test', password: PASSWORD, role: 'viewer' },
} satisfies Record<string, SeedUser>;

export interface SeededDevice {
  id: string;
  name: string;
  location: string;
  battery: number;
  online: boolean;
}

export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  /** a connection to the stack's database, for seeding and assertions */
  db: Client;
  users: typeof USERS;
  /** "Greenhouse north" (online, readings up to a minute ago) and "Weather station" (offline for 3 hours) */
  devices: [SeededDevice, SeededDevice];
  /** publishes one reading the way a sensor does (QoS 1) */
  publish(topic: string, payload: string | object): Promise<unknown>;
  /**
   * Subscribes (QoS 1) to one exact topic; resolves once the broker acknowledged the subscription, with the messages
   * received from then on (payloads as text) and an unsubscribe().
   */
  subscribe(topic: string): Promise<{
    messages: { topic: string; payload: string }[];
    unsubscribe(): Promise<void>;
  }>;
  /** stops the api (SIGTERM), as an outage does; `startApi()` brings it back on the same address */
  stopApi(): Promise<void>;
  startApi(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the stack on TEST_DATABASE_URL's server and TEST_MQTT_URL's broker (the Jest run's, or this machine's), else
 * on an embedded PostgreSQL (data in .data/web-stack-postgres) and an embedded broker of its own.
 * `databasePrefix`: the database's name starts with it (the Jest run's global teardown drops what a failed file left).
 * Builds the dashboard first when it is missing or older than its sources.
 */
export async function startStack({
  seedDays = 30,
  databasePrefix = 'sensorhub_web_',
  apiEnv = {},
}: {
  seedDays?: number;
  databasePrefix?: string;
  /** the api's settings over the stack's (e.g. JWT_TTL, REFRESH_TTL, THROTTLE_LIMIT) */
  apiEnv?: Record<string, string>;
} = {}): Promise<Stack> {
  buildDashboardIfStale((line) => process.stderr.write(`${line}\n`));
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: Error) => console.error('stop:', e.message));
  };
  try {
    let adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) {
      const pg = await startEmbeddedPostgres({
        dir: path.join(ROOT, '.data/web-stack-postgres'),
        port: await freePort(),
        portVariable: 'TEST_DATABASE_URL',
      });
      stops.push(pg.stop);
      adminUrl = pg.url('postgres');
    }
    let mqttUrl = process.env.TEST_MQTT_URL;
    if (!mqttUrl) {
      const broker = await startEmbeddedBroker({ port: await freePort(), portVariable: 'TEST_MQTT_URL' });
      stops.push(broker.stop);
      mqttUrl = broker.url;
    }
    // unique ids: the broker may be shared with other runs
    const run = `${Date.now().toString(36)}${process.pid}`;
    const database = await ownDatabase(adminUrl, `${databasePrefix}${run}`);
    stops.push(database.drop);
    const db = database.client;

    // seed: users, two devices with `seedDays` of 5-minute readings
    await insertUsers(db, Object.values(USERS));
    const devices: [SeededDevice, SeededDevice] = [
      {
        id: `gh-${run}`.slice(0, 64),
        name: 'Greenhouse north',
        location: 'Building A, bay 3',
        battery: 87,
        online: true,
      },
      { id: `ws-${run}`.slice(0, 64), name: 'Weather station', location: 'Roof', battery: 14, online: false },
    ];
    // partitions for the seeded weeks first, as ingest's writes would find them: else the api's first maintenance
    // run moves the rows out of the default partition while the first test reads them
    await db.query(`SELECT sensorhub_ensure_partitions(now() - $1::interval, now())`, [`${seedDays} days`]);
    for (const d of devices) {
      await db.query(
        `INSERT INTO devices (id, name, location, first_seen, last_seen, status, online, battery)
         VALUES ($1, $2, $3, now() - $4::interval, now() - interval '1 minute', 'ok', $5, $6)`,
        [d.id, d.name, d.location, `${seedDays} days`, d.online, d.battery],
      );
      await insertSeries(db, d.id, seedDays);
    }
    await db.query(`UPDATE devices SET last_seen = now() - interval '3 hours' WHERE id = $1`, [
      devices[1].id,
    ]);
    await db.query(`DELETE FROM readings WHERE device_id = $1 AND ts > now() - interval '3 hours'`, [
      devices[1].id,
    ]);
    // seeded past ingest: build the hourly rollup the api reads long ranges from
    await refreshHourlyRollup(db);

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const apiSettings = {
      DATABASE_URL: database.url,
      MQTT_URL: mqttUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      JWT_TTL: process.env.E2E_JWT_TTL ?? '15m',
      WEB_DIST,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...apiEnv,
    };
    let api: ApiProcess | null = null;
    const startApi = async () => {
      const p = startApiProcess(apiSettings, { echo: !!process.env.E2E_VERBOSE });
      api = p;
      await waitFor(
        async () => (await fetch(`${baseUrl}/api/v1/health`)).ok,
        90_000, // on a busy machine (2 cores, several test runs) the api can take this long
        `api health at ${baseUrl}`,
        { everyMs: 100, retryErrors: true },
      ).catch((e: Error) => {
        throw new Error(`${e.message}\napi output:\n${p.output()}`);
      });
    };
    const stopApi = async () => {
      const p = api;
      api = null;
      await p?.stop('SIGTERM', 5000);
    };
    stops.push(stopApi);
    const apiUp = startApi();
    const clientId = `web-e2e-${run}`;
    const ingest = startIngestProcess(
      { DATABASE_URL: database.url, MQTT_URL: mqttUrl, INGEST_CLIENT_ID: clientId },
      { echo: !!process.env.E2E_VERBOSE },
    );
    stops.push(async () => {
      await ingest.stop('SIGTERM', 5000);
      // leave no persistent session (and its queue) behind on a shared broker
      const c = await mqtt.connectAsync(mqttUrl, { clientId, clean: true, reconnectPeriod: 0 });
      await c.endAsync();
    });
    await apiUp;
    await ingest.ready;

    const publisher: MqttClient = await mqtt.connectAsync(mqttUrl, {
      clientId: `web-e2e-pub-${run}`,
      clean: true,
    });
    stops.push(() => publisher.endAsync());

    return {
      baseUrl,
      databaseUrl: database.url,
      db,
      users: USERS,
      devices,
      publish: (topic, payload) =>
        publisher.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
          qos: 1,
        }),
      subscribe: async (topic) => {
        const messages: { topic: string; payload: string }[] = [];
        const onMessage = (t: string, payload: Buffer) =>
          t === topic && messages.push({ topic: t, payload: payload.toString() });
        publisher.on('message', onMessage);
        await publisher.subscribeAsync(topic, { qos: 1 });
        return {
          messages,
          unsubscribe: async () => {
            publisher.off('message', onMessage);
            await publisher.unsubscribeAsync(topic);
          },
        };
      },
      stopApi,
      startApi,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Chromium from the OS (never a downloaded browser), in a fixed language (British English unless `lang` says
 * otherwise): the page writes dates in the browser's language and Chromium its date-time fields, so expected strings
 * hold whatever the machine's own language is. Pair it with a context of the same `locale`. Chromium honours --lang
 * only for the languages it has (Debian: chromium-l10n), else its date fields fall back to US English.
 */
export async function launchBrowser(lang = 'en-GB'): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--lang=${lang}`] });
}

/** Signs in through the login form; resolves when the overview (or the page asked for, `path`) shows. */
export async function signIn(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string },
  path = '/',
): Promise<void> {
  await page.goto(baseUrl + path);
  await page.waitForSelector('form[aria-labelledby="login-title"]');
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', user.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('button[type=submit]'),
  ]);
}
