import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';

import { verify } from 'jsonwebtoken';

import { createUsers, TEST_PASSWORD } from '../../../test/support/api';
import { ApiProcess, startApiProcess } from '../../../test/support/api-process';
import { createTestDatabase, TestDatabase, waitFor } from '../../../test/support/database';
import { makeCerts, startTlsMosquitto, TlsMosquitto } from '../../../test/support/tls';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// The api as deployed: HTTPS with the certificate from `npm run certs`, the broker over mutual TLS, secrets from
// files and systemd credentials, a rotated server.log, the log level changed through /rereadenv.
describe('api in production shape', () => {
  const JWT_SECRET = 'credential-jwt-secret-0123456789-abcdefghijklmnop';
  const METRICS_TOKEN = 'metrics-token-from-a-file-0123456789';
  let certs: string;
  let broker: TlsMosquitto;
  let db: TestDatabase;
  let dir: string;
  let api: ApiProcess;
  let url: string;
  let ca: Buffer;
  const logs = () => path.join(dir, 'logs');
  const envFile = () => path.join(dir, 'sensorhub.env');

  beforeAll(async () => {
    certs = makeCerts();
    ca = fs.readFileSync(path.join(certs, 'ca.crt'));
    broker = await startTlsMosquitto(certs);
    db = await createTestDatabase();
    await createUsers(db.client, ['admin']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-prod-'));
    // systemd's LoadCredential=JWT_SECRET:… puts the file here and names the directory in $CREDENTIALS_DIRECTORY
    fs.mkdirSync(path.join(dir, 'credentials'));
    fs.writeFileSync(path.join(dir, 'credentials', 'JWT_SECRET'), `${JWT_SECRET}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'metrics-token'), METRICS_TOKEN, { mode: 0o600 });
    fs.writeFileSync(envFile(), '');
    fs.mkdirSync(path.join(dir, 'tls'));
    for (const f of ['server.crt', 'server.key'])
      fs.copyFileSync(path.join(certs, f), path.join(dir, 'tls', f));
    const cert = (name: string) => path.join(certs, name);
    api = startApiProcess({
      DATABASE_URL: db.url,
      MQTT_URL: broker.tlsUrl,
      MQTT_CA_FILE: cert('ca.crt'),
      MQTT_CERT_FILE: cert('sensorhub-api.crt'),
      MQTT_KEY_FILE: cert('sensorhub-api.key'),
      TLS_CERT_FILE: path.join(dir, 'tls', 'server.crt'),
      TLS_KEY_FILE: path.join(dir, 'tls', 'server.key'),
      JWT_SECRET: undefined,
      CREDENTIALS_DIRECTORY: path.join(dir, 'credentials'),
      METRICS_TOKEN_FILE: path.join(dir, 'metrics-token'),
      LOG_FILE: path.join(logs(), 'server.log'),
      LOG_MAX_SIZE: '16K',
      LOG_MAX_FILES: '3',
      // from ENV_FILE only, so /rereadenv may change it (a key of the real environment wins over the file)
      LOG_LEVEL: undefined,
      ENV_FILE: envFile(),
    });
    url = await api.url;
  });

  afterAll(async () => {
    await api?.kill();
    await broker?.stop();
    await db?.drop();
    fs.rmSync(certs, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A request trusting only the generated CA. */
  const call = (
    method: string,
    route: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = https.request(
        `${url}${route}`,
        {
          method,
          ca,
          headers: {
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
            ...opts.headers,
          },
        },
        (res) => {
          let body = '';
          res
            .on('data', (c) => (body += c))
            .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.once('error', reject);
      req.end(opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
    });

  const loginAdmin = async () => {
    const res = await call('POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    return JSON.parse(res.body).accessToken as string;
  };

  const everythingLogged = () =>
    api.output() +
    fs
      .readdirSync(logs())
      .map((f) => fs.readFileSync(path.join(logs(), f), 'utf8'))
      .join('');

  it('answers over HTTPS with HSTS, healthy with the broker reached over mutual TLS', async () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await waitFor(
      async () => {
        const res = await call('GET', '/api/v1/health');
        return res.status === 200 && res;
      },
      15_000,
      'a healthy api (database and broker up)',
    );
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses plain HTTP on its TLS port', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = http.get(url.replace('https:', 'http:') + '/api/v1/health', (res) =>
        resolve(`status ${res.statusCode}`),
      );
      req.once('error', (err) => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
    expect(outcome).not.toBe('status 200');
    expect(outcome).toMatch(/^error|^status 4/);
  });

  it('signs with JWT_SECRET from the systemd credential and guards /metrics with METRICS_TOKEN_FILE', async () => {
    const token = await loginAdmin();
    expect(verify(token, JWT_SECRET, { audience: 'sensorhub-api' })).toMatchObject({ role: 'admin' });
    expect((await call('GET', '/metrics', { token: METRICS_TOKEN })).status).toBe(200);
    expect((await call('GET', '/metrics', { token: 'not-the-token-0123456789' })).status).toBe(401);
  });

  it('writes server.log as JSON lines and keeps at most LOG_MAX_FILES files under a burst', async () => {
    const token = await loginAdmin();
    for (let round = 0; round < 10; round++)
      await Promise.all(Array.from({ length: 40 }, () => call('GET', '/api/v1/ping', { token })));
    // a rotation renames server.log, then opens a new one: wait until both are there
    await waitFor(
      async () => ['server.log', 'server.log.1'].every((f) => fs.existsSync(path.join(logs(), f))),
      5000,
      'a finished rotation',
    );
    const files = fs.readdirSync(logs()).sort();
    expect(files.length).toBeLessThanOrEqual(3);
    expect(files).toEqual(expect.arrayContaining(['server.log', 'server.log.1']));
    const lines = fs.readFileSync(path.join(logs(), 'server.log.1'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({
        app: 'api',
        context: 'http',
        msg: 'request',
        path: '/api/v1/ping',
        status: 200,
        reqId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    );
  });

  it('never writes a secret, a password or a token to its output or its log files', async () => {
    const token = await loginAdmin();
    await call('GET', '/api/v1/auth/me', {
      token,
      headers: { cookie: 'sensorhub_refresh=stolen-cookie-value' },
    });
    await call('POST', '/api/v1/auth/login', {
      body: { email: 'admin@example.com', password: 'wrong password!' },
    });
    await new Promise((r) => setTimeout(r, 200));
    const logged = everythingLogged();
    expect(logged).toContain('"msg":"request"');
    for (const secret of [
      JWT_SECRET,
      METRICS_TOKEN,
      TEST_PASSWORD,
      'wrong password!',
      token,
      'stolen-cookie',
    ])
      expect(logged).not.toContain(secret);
  });

  it('takes a renewed certificate on SIGHUP without dropping an open connection', async () => {
    const get = (opts: https.RequestOptions) =>
      new Promise<{ status: number; fingerprint: string }>((resolve, reject) => {
        https
          .get(`${url}/api/v1/health`, opts, (res) => {
            const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate()
              .fingerprint256;
            res.resume().on('end', () => resolve({ status: res.statusCode!, fingerprint }));
          })
          .once('error', reject);
      });
    const open = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
    const before = await get({ agent: open });
    const renewed = makeCerts(); // another CA: only the new certificate verifies against it
    try {
      for (const f of ['server.crt', 'server.key'])
        fs.copyFileSync(path.join(renewed, f), path.join(dir, 'tls', f));
      api.proc.kill('SIGHUP');
      await waitFor(async () => api.output().includes('TLS certificate reloaded'), 5000, 'the reload');
      const fresh = await get({ ca: fs.readFileSync(path.join(renewed, 'ca.crt')), agent: false });
      expect(fresh.status).toBe(200);
      expect(fresh.fingerprint).not.toBe(before.fingerprint);
      // the connection opened before the reload goes on with the old certificate (a new one would fail the old CA)
      expect(await get({ agent: open })).toEqual({ status: 200, fingerprint: before.fingerprint });
      ca = fs.readFileSync(path.join(renewed, 'ca.crt')); // the later requests trust the renewed certificate
    } finally {
      open.destroy();
      fs.rmSync(renewed, { recursive: true, force: true });
    }
  });

  it('changes its log level through /rereadenv', async () => {
    const token = await loginAdmin();
    fs.writeFileSync(envFile(), 'LOG_LEVEL=warn\n');
    const res = await call('POST', '/api/v1/rereadenv', { token });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).changed).toEqual({ LOG_LEVEL: { from: 'log', to: 'warn' } });
    await new Promise((r) => setTimeout(r, 200));
    const mark = api.output().length;
    for (let i = 0; i < 5; i++) expect((await call('GET', '/api/v1/ping', { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(api.output().slice(mark)).not.toContain('"msg":"request"');
  });
});
