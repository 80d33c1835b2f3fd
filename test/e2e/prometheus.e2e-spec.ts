import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse as parseYaml } from 'yaml';

import * as embedded from '../../scripts/lib/embedded';
import { ApiProcess, startApiProcess } from '../support/api-process';
import { brokerUrl, connectClient } from '../support/broker';
import { createTestDatabase, TestDatabase, waitFor } from '../support/database';
import { IngestProcess, startIngest } from '../support/ingest-process';
import { makeCerts } from '../support/tls';

const ROOT = path.resolve(__dirname, '../..');
const METRICS_TOKEN = 'prometheus-test-token-0123456789';

interface Target {
  labels: { job: string };
  health: string;
  lastError: string;
}

// Debian's Prometheus with the shipped prometheus.yml and alert rules (targets pointed at this machine) scrapes the
// api over HTTPS with the token, and ingest's /metrics.
describe('Prometheus scraping both apps', () => {
  let certs: string;
  let dir: string;
  let db: TestDatabase;
  let api: ApiProcess;
  let ingest: IngestProcess;
  let prometheus: ChildProcess;
  let promUrl: string;
  let ingestMetricsPort: number;
  let apiUrl: string;

  beforeAll(async () => {
    certs = makeCerts();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-prometheus-'));
    db = await createTestDatabase();
    ingestMetricsPort = await embedded.freePort();
    ingest = startIngest({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      INGEST_CLIENT_ID: `ingest-prometheus-${process.pid}`,
      INGEST_METRICS_PORT: String(ingestMetricsPort),
    });
    api = startApiProcess({
      DATABASE_URL: db.url,
      MQTT_URL: brokerUrl(),
      TLS_CERT_FILE: path.join(certs, 'server.crt'),
      TLS_KEY_FILE: path.join(certs, 'server.key'),
      METRICS_TOKEN,
    });
    apiUrl = await api.url;
    await ingest.ready;

    // the shipped files, as an operator installs them: token and CA beside prometheus.yml, targets on this host
    for (const f of fs.readdirSync(path.join(ROOT, 'deploy/prometheus')))
      fs.copyFileSync(path.join(ROOT, 'deploy/prometheus', f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'metrics_token'), METRICS_TOKEN);
    fs.copyFileSync(path.join(certs, 'ca.crt'), path.join(dir, 'ca.crt'));
    const config = fs
      .readFileSync(path.join(dir, 'prometheus.yml'), 'utf8')
      .replace(/scrape_interval: 15s/, 'scrape_interval: 1s')
      .replace(`'api:3000'`, `'${new URL(apiUrl).host}'`)
      .replace(`'ingest:9464'`, `'127.0.0.1:${ingestMetricsPort}'`);
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
    const port = await embedded.freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      await new Promise((r) => prometheus.once('exit', r));
    }
    await ingest?.stop();
    await api?.kill();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(certs, { recursive: true, force: true });
  });

  const prom = async <T>(route: string): Promise<T> => {
    const res = await fetch(`${promUrl}${route}`);
    return ((await res.json()) as { data: T }).data;
  };

  it('has both targets up and the alert rules loaded', async () => {
    const targets = await waitFor(
      async () => {
        const data = await prom<{ activeTargets: Target[] }>('/api/v1/targets').catch(() => undefined);
        const t = data?.activeTargets ?? [];
        return t.length === 2 && t.every((x) => x.health === 'up') && t;
      },
      40_000,
      'both targets up',
    );
    expect(targets.map((t) => t.labels.job).sort()).toEqual(['sensorhub-api', 'sensorhub-ingest']);
    const scraped = await prom<{ result: { metric: { job: string } }[] }>(
      '/api/v1/query?query=' + encodeURIComponent('sensorhub_database_up == 1'),
    );
    expect(scraped.result.map((r) => r.metric.job).sort()).toEqual(['sensorhub-api', 'sensorhub-ingest']);
    const rules = await prom<{ groups: { rules: unknown[] }[] }>('/api/v1/rules');
    expect(rules.groups.flatMap((g) => g.rules).length).toBeGreaterThanOrEqual(9);
  });

  it('sees a reading ingest stored in sensorhub_ingest_readings_total', async () => {
    const device = await connectClient(brokerUrl());
    await device.publishAsync(`devices/prom-${process.pid}/temperature`, '20.5', { qos: 1 });
    await device.endAsync();
    await waitFor(
      async () => {
        const r = await prom<{ result: { value: [number, string] }[] }>(
          '/api/v1/query?query=sensorhub_ingest_readings_total',
        );
        return r.result.length === 1 && Number(r.result[0].value[1]) >= 1;
      },
      20_000,
      'the stored reading in Prometheus',
    );
  });

  it('every metric the alert rules and the dashboard use is exported by an app', async () => {
    const apiMetrics = await new Promise<string>((resolve, reject) =>
      https
        .get(
          `${apiUrl}/metrics`,
          {
            ca: fs.readFileSync(path.join(certs, 'ca.crt')),
            headers: { authorization: `Bearer ${METRICS_TOKEN}` },
          },
          (res) => {
            let body = '';
            res.on('data', (c) => (body += c)).on('end', () => resolve(body));
          },
        )
        .once('error', reject),
    );
    const ingestMetrics = await (await fetch(`http://127.0.0.1:${ingestMetricsPort}/metrics`)).text();
    const exported = new Set(
      [...`${apiMetrics}\n${ingestMetrics}`.matchAll(/^# TYPE (\S+) (\w+)/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name],
      ),
    );
    const rules = parseYaml(fs.readFileSync(path.join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const dashboard = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'deploy/grafana/dashboards/sensorhub.json'), 'utf8'),
    ) as { panels: { datasource: { type: string }; targets: { expr: string }[] }[] };
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels
        .filter((p) => p.datasource.type === 'prometheus')
        .flatMap((p) => p.targets.map((t) => t.expr)),
    ];
    const used = new Set(exprs.flatMap((e) => e.match(/\b(sensorhub_\w+|http_\w+|alert_\w+)\b/g) ?? []));
    expect([...used].filter((m) => !exported.has(m))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(8);
  });
});
