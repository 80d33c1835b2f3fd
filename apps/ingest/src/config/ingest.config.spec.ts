import { ConfigError, validateIngestConfig } from './ingest.config';

const base = { DATABASE_URL: 'postgres://u@h/db', MQTT_URL: 'mqtt://127.0.0.1:1883' };

describe(validateIngestConfig.name, () => {
  it('applies the documented defaults', () => {
    const c = validateIngestConfig(base);
    expect(c).toMatchObject({
      INGEST_CLIENT_ID: 'sensorhub-ingest',
      INGEST_BATCH_SIZE: 5000,
      INGEST_BATCH_MAX_WAIT_MS: 50,
      INGEST_REQUIRE_REGISTERED: false,
    });
    expect(c.INGEST_SHARED_GROUP).toBeUndefined();
  });

  it('reads numbers and booleans from their text', () => {
    const c = validateIngestConfig({ ...base, INGEST_BATCH_SIZE: '250', INGEST_REQUIRE_REGISTERED: 'true' });
    expect(c.INGEST_BATCH_SIZE).toBe(250);
    expect(c.INGEST_REQUIRE_REGISTERED).toBe(true);
  });

  it.each([
    ['DATABASE_URL', { MQTT_URL: base.MQTT_URL }],
    ['MQTT_URL', { ...base, MQTT_URL: 'http://broker' }],
    ['INGEST_BATCH_SIZE', { ...base, INGEST_BATCH_SIZE: 'lots' }],
    ['INGEST_BATCH_SIZE', { ...base, INGEST_BATCH_SIZE: '0' }],
    ['INGEST_REQUIRE_REGISTERED', { ...base, INGEST_REQUIRE_REGISTERED: 'maybe' }],
    ['INGEST_CLIENT_ID', { ...base, INGEST_CLIENT_ID: 'has spaces' }],
    ['INGEST_SHARED_GROUP', { ...base, INGEST_SHARED_GROUP: 'a/b' }],
    ['LOG_LEVEL', { ...base, LOG_LEVEL: 'loud' }],
  ])('stops with a message naming %s when its value is bad', (key, env) => {
    expect(() => validateIngestConfig(env)).toThrow(ConfigError);
    expect(() => validateIngestConfig(env)).toThrow(new RegExp(`\\b${key}\\b`));
  });

  it('never echoes a secret it rejects', () => {
    try {
      validateIngestConfig({ ...base, DATABASE_URL: 'mysql://user:s3cr3t@host/db' });
      throw new Error('accepted');
    } catch (err) {
      expect((err as Error).message).toMatch(/DATABASE_URL/);
      expect((err as Error).message).not.toMatch(/s3cr3t/);
    }
  });
});
