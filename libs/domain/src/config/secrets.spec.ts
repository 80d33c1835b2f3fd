import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { resolveSecrets, SecretError } from './secrets';

describe(resolveSecrets.name, () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-secrets-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };

  it('reads NAME_FILE, dropping one trailing newline', () => {
    expect(resolveSecrets({ JWT_SECRET_FILE: write('jwt', 'from-a-file\n') }).JWT_SECRET).toBe('from-a-file');
  });

  // every secret the deployment docs name, webhook signing key included
  it.each([
    'JWT_SECRET',
    'DATABASE_PASSWORD',
    'MQTT_PASSWORD',
    'ADMIN_PASSWORD',
    'ALERT_WEBHOOK_SECRET',
    'METRICS_TOKEN',
    'REDIS_PASSWORD',
  ])('reads %s from NAME_FILE and from a systemd credential', (key) => {
    expect(resolveSecrets({ [`${key}_FILE`]: write(key.toLowerCase(), 'from-a-file\n') })[key]).toBe(
      'from-a-file',
    );
    write(key, 'from-credentials');
    expect(resolveSecrets({ CREDENTIALS_DIRECTORY: dir })[key]).toBe('from-credentials');
  });

  it('reads a systemd credential when the key is not set otherwise', () => {
    write('MQTT_PASSWORD', 'from-credentials');
    expect(resolveSecrets({ CREDENTIALS_DIRECTORY: dir }).MQTT_PASSWORD).toBe('from-credentials');
    expect(resolveSecrets({ CREDENTIALS_DIRECTORY: dir, MQTT_PASSWORD: 'direct' }).MQTT_PASSWORD).toBe(
      'direct',
    );
  });

  it('puts DATABASE_PASSWORD into DATABASE_URL, encoded', () => {
    const env = resolveSecrets({
      DATABASE_URL: 'postgres://sensorhub@db.example.org:5432/sensorhub',
      DATABASE_PASSWORD_FILE: write('db', 'p@ss:w/rd%\n'),
    });
    const url = new URL(env.DATABASE_URL as string);
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd%');
    expect(url.username).toBe('sensorhub');
  });

  it('refuses a missing or empty file, and a key given both ways, naming the key and never the value', () => {
    expect(() => resolveSecrets({ JWT_SECRET_FILE: path.join(dir, 'missing') })).toThrow(
      /^JWT_SECRET_FILE: cannot read .*missing \(ENOENT\)$/,
    );
    expect(() => resolveSecrets({ JWT_SECRET_FILE: write('empty', '\n') })).toThrow(
      /JWT_SECRET_FILE: .* is empty/,
    );
    let error: unknown;
    try {
      resolveSecrets({ ADMIN_PASSWORD: 'super-secret-value', ADMIN_PASSWORD_FILE: write('a', 'other') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecretError);
    expect((error as Error).message).toBe('ADMIN_PASSWORD and ADMIN_PASSWORD_FILE are both set: keep one');
  });
});
