import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Keys whose value is a secret. Each can also come from a file: `NAME_FILE=/run/secrets/name` (Docker and Kubernetes
 * secrets) or a systemd credential named NAME (`LoadCredential=NAME:/etc/sensorhub/name` puts it in
 * `$CREDENTIALS_DIRECTORY/NAME`). `DATABASE_PASSWORD` replaces the password of `DATABASE_URL`.
 */
export const SECRET_ENV_KEYS = [
  'JWT_SECRET',
  'DATABASE_PASSWORD',
  'MQTT_PASSWORD',
  'ADMIN_PASSWORD',
  'ALERT_WEBHOOK_SECRET',
  'METRICS_TOKEN',
  'REDIS_PASSWORD',
] as const;

/** A secret that could not be read; names the key and the file, never the value. */
export class SecretError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/**
 * Returns `env` with every secret key filled from `NAME_FILE` or `$CREDENTIALS_DIRECTORY/NAME` when it is not set
 * directly, and `DATABASE_PASSWORD` / `REDIS_PASSWORD` put into `DATABASE_URL` / `REDIS_URL`. One trailing newline
 * of a file is dropped (`echo secret > file`). A key given both ways is refused: which one wins would be a guess.
 */
export function resolveSecrets(env: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...env };
  const credentials = typeof env.CREDENTIALS_DIRECTORY === 'string' ? env.CREDENTIALS_DIRECTORY : '';
  for (const key of SECRET_ENV_KEYS) {
    const fileKey = `${key}_FILE`;
    const file = env[fileKey];
    const direct = env[key];
    if (typeof file === 'string' && file !== '') {
      if (typeof direct === 'string' && direct !== '')
        throw new SecretError(`${key} and ${fileKey} are both set: keep one`, key);
      out[key] = readSecret(file, fileKey);
    } else if ((direct === undefined || direct === '') && credentials) {
      const candidate = path.join(credentials, key);
      if (fs.existsSync(candidate)) out[key] = readSecret(candidate, `${key} (systemd credential)`);
    }
  }
  withPassword(out, 'DATABASE_URL', 'DATABASE_PASSWORD');
  withPassword(out, 'REDIS_URL', 'REDIS_PASSWORD');
  return out;
}

function readSecret(file: string, what: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SecretError(`${what}: cannot read ${file} (${code})`, what.split(' ')[0]);
  }
  text = text.replace(/\r?\n$/, '');
  if (!text) throw new SecretError(`${what}: ${file} is empty`, what.split(' ')[0]);
  return text;
}

function withPassword(env: Record<string, unknown>, urlKey: string, passwordKey: string): void {
  const url = env[urlKey];
  const password = env[passwordKey];
  if (typeof url !== 'string' || !url || typeof password !== 'string' || !password) return;
  try {
    const parsed = new URL(url);
    parsed.password = encodeURIComponent(password);
    env[urlKey] = parsed.toString();
  } catch {
    // left as it is: the URL's own validation names the key
  }
}
