import 'reflect-metadata';

import { config as loadDotenv } from 'dotenv';

import { createApp } from './app.factory';
import { JsonLogger } from './common/logging/json-logger';
import { ApiConfig, ConfigError, validateApiConfig } from './config/api.config';

async function bootstrap(): Promise<void> {
  // keys of the real environment win over .env, now and on /rereadenv
  const pinnedEnvKeys = Object.keys(process.env);
  let config: ApiConfig;
  try {
    loadDotenv({ quiet: true });
    config = validateApiConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`api: ${err.message}`);
    process.exit(2);
  }
  const logger = new JsonLogger(config.LOG_LEVEL);
  const app = await createApp(config, { pinnedEnvKeys, logger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
  logger.log({ msg: 'listening', url: await app.getUrl() }, 'bootstrap');
}

void bootstrap();
