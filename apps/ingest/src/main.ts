import 'reflect-metadata';
import './transport/quiet-debug';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as v8 from 'node:v8';

import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import * as dotenv from 'dotenv';

import {
  CatalogError,
  createLogger,
  LOG_LEVELS,
  LogLevel,
  loadMetricCatalog,
  mqttTlsOptions,
  MetricCatalog,
  prepareDatabase,
  sharedTopic,
  TOPICS,
} from '@sensorhub/domain';

import { AppModule } from './app.module';
import { CatalogService } from './catalog/catalog.service';
import { IngestMetrics, serveMetrics } from './metrics/ingest-metrics.service';
import { ConfigError, IngestConfig, validateIngestConfig } from './config/ingest.config';
import { IngestMqttServer } from './transport/ingest-mqtt.server';

// What sets ingest's RSS at full rate is not what it holds (tens of MB: the unacknowledged window) but the garbage its
// old generation collects before V8 collects it: messages live until their batch commits, so they are promoted, and
// V8 lets the old generation grow to a multiple of the live heap first. Growing it by half at most keeps the peak
// under 200 MB at the cost of more frequent (concurrent) major collections. A --heap-growing-percent given to node
// wins.
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent')))
  v8.setFlagsFromString('--heap-growing-percent=50');

export function createIngestServer(config: IngestConfig): IngestMqttServer {
  return new IngestMqttServer({
    url: config.MQTT_URL,
    username: config.MQTT_USERNAME,
    password: config.MQTT_PASSWORD,
    ...mqttTlsOptions(config),
    clientId: config.INGEST_CLIENT_ID,
    // persistent session: the broker keeps our subscription and queues QoS 1 messages while we are down
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    subscription: sharedTopic(TOPICS.all, config.INGEST_SHARED_GROUP),
    maxUnacked: config.INGEST_MAX_UNACKED,
    maxUnackedBytes: config.INGEST_MAX_UNACKED_BYTES,
    shutdownTimeoutMs: config.INGEST_SHUTDOWN_TIMEOUT_MS,
  });
}

/**
 * LOG_LEVEL from ENV_FILE, as the api's /rereadenv does (called on SIGHUP and when the file changes, so one edit and
 * POST /rereadenv change both apps); a level in the real environment wins.
 */
function rereadLogLevel(logger: ReturnType<typeof createLogger>, pinned: boolean): void {
  if (pinned) return;
  const file = process.env.ENV_FILE || '.env';
  let level: string | undefined;
  try {
    level = dotenv.parse(fs.readFileSync(file, 'utf8')).LOG_LEVEL;
  } catch {
    return; // no file: nothing to re-read
  }
  if (!level || level === logger.level) return;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    logger.warn(
      { msg: `${file}: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; level unchanged` },
      'ingest',
    );
    return;
  }
  // written under the more verbose of the two levels, so the change shows whichever way it goes
  const line = () => logger.log({ msg: 'log level set', logLevel: level }, 'ingest');
  const more = LOG_LEVELS.indexOf(level as LogLevel) > LOG_LEVELS.indexOf(logger.level);
  if (!more) line();
  logger.setLevel(level as LogLevel);
  if (more) line();
}

async function bootstrap(): Promise<void> {
  const pinnedLogLevel = process.env.LOG_LEVEL !== undefined;
  let config: IngestConfig;
  let catalog: MetricCatalog;
  try {
    // keys of the real environment win over the file (ENV_FILE: npm start names the one it read)
    dotenv.config({ path: process.env.ENV_FILE || '.env', quiet: true });
    config = validateIngestConfig(process.env);
    catalog = loadMetricCatalog(config.METRICS_CATALOG);
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof CatalogError)) throw err;
    console.error(`ingest: ${err instanceof CatalogError ? `METRICS_CATALOG: ${err.message}` : err.message}`);
    process.exit(2);
  }
  const logger = createLogger('ingest', config);
  let app: INestMicroservice | undefined = undefined;
  let metricsServer: Server | undefined;
  // not enableShutdownHooks(): Nest re-raises the signal after its hooks, and SIGTERM must end with exit code 0
  const stop = async (signal: string) => {
    logger.log(`${signal}: committing what was received, then exiting`, 'ingest');
    metricsServer?.close();
    await app?.close();
    await logger.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // SIGHUP re-reads the metric catalog and LOG_LEVEL from ENV_FILE (and must never end the process, Node's default)
  process.on('SIGHUP', () => {
    rereadLogLevel(logger, pinnedLogLevel);
    app?.get(CatalogService).reload('SIGHUP');
  });
  // polling, as for the catalog: survives editors that save by renaming a new file over the old one
  fs.watchFile(process.env.ENV_FILE || '.env', { interval: 1000 }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs) rereadLogLevel(logger, pinnedLogLevel);
  }).unref();

  // not ready (no subscription: the broker keeps queueing) until the database answers with the current schema
  await prepareDatabase(config.DATABASE_URL, { log: logger });
  const server = createIngestServer(config);
  app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule.forRoot(config, catalog), {
    strategy: server,
    logger,
  });
  await app.init();
  // the decorated handlers without pipes, guards, interceptors or filters run without Nest's RPC context layer
  logger.log({ msg: 'handlers called directly', count: server.callHandlersDirectly(app) }, 'ingest');
  await app.listen();
  if (config.INGEST_METRICS_PORT) {
    const metrics = app.get(IngestMetrics);
    metrics.watch(server);
    metricsServer = await serveMetrics(metrics, config.INGEST_METRICS_PORT, config.INGEST_METRICS_HOST);
    logger.log(
      { msg: 'metrics', url: `http://${config.INGEST_METRICS_HOST}:${config.INGEST_METRICS_PORT}/metrics` },
      'ingest',
    );
  }
  logger.log('ready', 'ingest');
}

void bootstrap().catch((err: Error) => {
  console.error(`ingest: ${err.message}`);
  process.exit(1);
});
