import 'reflect-metadata';
import type { Server as HttpsServer } from 'node:https';

import { config as loadDotenv } from 'dotenv';

import { CatalogError, createLogger, loadMetricCatalog, prepareDatabase } from '@sensorhub/domain';

import { createApp, tlsOptions } from './app.factory';
import { ApiConfig, ConfigError, validateApiConfig } from './config/api.config';

async function bootstrap(): Promise<void> {
  // keys of the real environment win over .env, now and on /rereadenv
  const pinnedEnvKeys = Object.keys(process.env);
  let config: ApiConfig;
  try {
    // ENV_FILE: npm start names the file it read
    loadDotenv({ path: process.env.ENV_FILE || '.env', quiet: true });
    config = validateApiConfig(process.env);
    loadMetricCatalog(config.METRICS_CATALOG); // a bad catalog stops start-up here, in one line
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof CatalogError)) throw err;
    console.error(`api: ${err instanceof CatalogError ? `METRICS_CATALOG: ${err.message}` : err.message}`);
    process.exit(2);
  }
  const logger = createLogger('api', config);
  const early = () => process.exit(0); // a signal before the app exists: nothing to close
  process.once('SIGTERM', early).once('SIGINT', early);
  // not ready (not listening) until the database answers with the current schema
  await prepareDatabase(config.DATABASE_URL, { log: logger });
  process.removeListener('SIGTERM', early).removeListener('SIGINT', early);
  const app = await createApp(config, { pinnedEnvKeys, logger });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
  logger.log({ msg: 'listening', url: await app.getUrl() }, 'bootstrap');
  if (config.TLS_CERT_FILE) {
    // a renewed certificate without a restart: new connections get it, open ones keep theirs
    process.on('SIGHUP', () => {
      try {
        (app.getHttpServer() as HttpsServer).setSecureContext(tlsOptions(config)!);
        logger.log({ msg: 'TLS certificate reloaded', file: config.TLS_CERT_FILE }, 'bootstrap');
      } catch (err) {
        logger.error(
          {
            msg: 'TLS certificate reload failed; the previous one stays in use',
            error: (err as Error).message,
          },
          'bootstrap',
        );
      }
    });
  }
}

void bootstrap().catch((err: Error) => {
  console.error(`api: ${err.message}`);
  process.exit(1);
});
