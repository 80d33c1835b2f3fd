// what api, ingest and web share: re-exported so that server code keeps one import
export * from '@sensorhub/contracts';
export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './rollup/hourly-rollup';
export * from './wire/parse';
export * from './auth/password';
export * from './wire/live';
export * from './config/validate-env';
export * from './config/secrets';
export * from './logging/json-logger';
export * from './catalog/metric-catalog';
export * from './stream/consumer';
export * from './time/instant';
export * from './alerts/rule-logic';
export * from './import';
export * from './metrics/health-gauges';
