import 'reflect-metadata';
import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import * as dotenv from 'dotenv';

import {
  CatalogError,
  JsonLogger,
  loadMetricCatalog,
  MetricCatalog,
  prepareDatabase,
  sharedTopic,
  TOPICS,
} from '@sensorhub/domain';

import { AppModule } from './app.module';
import { CatalogService } from './catalog/catalog.service';
import { ConfigError, IngestConfig, validateIngestConfig } from './config/ingest.config';
import { IngestMqttServer } from './transport/ingest-mqtt.server';

export function createIngestServer(config: IngestConfig): IngestMqttServer {
  return new IngestMqttServer({
    url: config.MQTT_URL,
    username: config.MQTT_USERNAME,
    password: config.MQTT_PASSWORD,
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

async function bootstrap(): Promise<void> {
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
  const logger = new JsonLogger(config.LOG_LEVEL);
  let app: INestMicroservice | undefined = undefined;
  // not enableShutdownHooks(): Nest re-raises the signal after its hooks, and SIGTERM must end with exit code 0
  const stop = async (signal: string) => {
    logger.log(`${signal}: committing what was received, then exiting`, 'ingest');
    await app?.close();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // SIGHUP re-reads the metric catalog (and must never end the process, Node's default)
  process.on('SIGHUP', () => app?.get(CatalogService).reload('SIGHUP'));

  // not ready (no subscription: the broker keeps queueing) until the database answers with the current schema
  await prepareDatabase(config.DATABASE_URL, { log: logger });
  app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule.forRoot(config, catalog), {
    strategy: createIngestServer(config),
    logger,
  });
  await app.listen();
  logger.log('ready', 'ingest');
}

void bootstrap().catch((err: Error) => {
  console.error(`ingest: ${err.message}`);
  process.exit(1);
});
