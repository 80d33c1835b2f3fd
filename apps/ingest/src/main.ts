import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import * as dotenv from 'dotenv';

import { sharedTopic, TOPICS } from '@sensorhub/domain';

import { AppModule } from './app.module';
import { ConfigError, IngestConfig, validateIngestConfig } from './config/ingest.config';
import { IngestMqttServer } from './transport/ingest-mqtt.server';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

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
  try {
    dotenv.config({ quiet: true });
    config = validateIngestConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`ingest: ${err.message}`);
    process.exit(2);
  }
  const logger = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.LOG_LEVEL) + 1);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule.forRoot(config), {
    strategy: createIngestServer(config),
    logger: [...logger],
  });
  await app.listen();
  const log = new Logger('ingest');
  log.log('ready');
  // not enableShutdownHooks(): Nest re-raises the signal after its hooks, and SIGTERM must end with exit code 0
  const stop = async (signal: string) => {
    log.log(`${signal}: committing what was received, then exiting`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void bootstrap();
