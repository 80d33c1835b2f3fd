import { brokerUrl } from '../../../test/support/broker';
import { startIngest } from '../../../test/support/ingest-process';

// What an operator sees when ingest's configuration is wrong: it does not start, and says which key, one line each.
describe('ingest start-up', () => {
  it.each([
    ['INGEST_BATCH_SIZE', { INGEST_BATCH_SIZE: 'lots' }],
    ['INGEST_CLIENT_ID', { INGEST_CLIENT_ID: 'has spaces in it' }],
    ['DATABASE_URL', { DATABASE_URL: '' }],
    ['MQTT_CA_FILE', { MQTT_CA_FILE: '/nonexistent/ca.crt' }],
    ['MQTT_KEY_FILE', { MQTT_CERT_FILE: __filename }],
    ['LOG_MAX_SIZE', { LOG_MAX_SIZE: 'huge' }],
    ['MQTT_PASSWORD_FILE', { MQTT_PASSWORD_FILE: '/nonexistent/mqtt-password' }],
    ['MQTT_PASSWORD_FILE', { MQTT_PASSWORD: 'direct', MQTT_PASSWORD_FILE: __filename }],
  ])('refuses a bad %s with a line naming it, and exits non-zero', async (key, bad) => {
    const ingest = startIngest({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never-used',
      MQTT_URL: brokerUrl(),
      ...bad,
    });
    const code = await ingest.exited;
    expect(code).not.toBe(0);
    const out = ingest.output().trim();
    expect(out).toMatch(new RegExp(`^.*\\b${key}\\b.*$`, 'm'));
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
    expect(out.split('\n').length).toBeLessThanOrEqual(3);
  });
});
