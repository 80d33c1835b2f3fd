import 'reflect-metadata';

import { config as loadDotenv } from 'dotenv';

import { prepareDatabase } from '@sensorhub/domain';

import { createApp } from './app.factory';
import { JsonLogger } from './common/logging/json-logger';
import { ApiConfig, ConfigError, validateApiConfig } from './config/api.config';

async function bootstrap(): Promise<void> {
  // keys of the real environment win over .env, now and on /rereadenv
  const pinnedEnvKeys = Object.keys(process.env);
  let config: ApiConfig;
  try {
    // ENV_FILE: npm start names the file it read
    loadDotenv({ path: process.env.ENV_FILE || '.env', quiet: true });
    config = validateApiConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`api: ${err.message}`);
    process.exit(2);
  }
  const logger = new JsonLogger(config.LOG_LEVEL);
  const early = () => process.exit(0); // a signal before the app exists: nothing to close
  process.once('SIGTERM', early).once('SIGINT', early);
  // not ready (not listening) until the database answers with the current schema
  await prepareDatabase(config.DATABASE_URL, { log: logger });
  process.removeListener('SIGTERM', early).removeListener('SIGINT', early);
  const app = await createApp(config, { pinnedEnvKeys, logger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
  logger.log({ msg: 'listening', url: await app.getUrl() }, 'bootstrap');
}

void bootstrap().catch((err: Error) => {
  console.error(`api: ${err.message}`);
  process.exit(1);
});
