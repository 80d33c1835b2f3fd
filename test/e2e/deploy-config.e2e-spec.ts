import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { built } from '../../scripts/lib/paths';

const ROOT = path.resolve(__dirname, '../..');
const PROMETHEUS = path.join(ROOT, 'deploy/prometheus');
const SYSTEMD = path.join(ROOT, 'deploy/systemd');

/** Runs a tool; its output when it fails, so the test failure says what is wrong. */
function run(cmd: string, args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${cmd} is not installed (.ci/run installs it): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// The shipped deployment files, checked by the tools that will read them: Debian's prometheus package (promtool) and
// systemd (systemd-analyze).
describe('deployment files', () => {
  it('prometheus.yml passes promtool check config, with the token and CA files it expects beside it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-prom-'));
    try {
      for (const f of fs.readdirSync(PROMETHEUS))
        fs.copyFileSync(path.join(PROMETHEUS, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, 'metrics_token'), 'a-token-of-sixteen-or-more\n');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          'ca.key',
          '-out',
          'ca.crt',
          '-subj',
          '/CN=test CA',
          '-days',
          '1',
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      const r = run('promtool', ['check', 'config', 'prometheus.yml'], dir);
      expect(r.output).toContain('SUCCESS: 1 rule files found');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('alerts.yml passes promtool check rules and its unit tests', () => {
    const check = run('promtool', ['check', 'rules', 'alerts.yml'], PROMETHEUS);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
    const tests = run('promtool', ['test', 'rules', 'alerts.test.yml'], PROMETHEUS);
    expect(tests.output).toContain('SUCCESS');
    expect(tests.status).toBe(0);
  });

  it('npm run certs leaves certificates readable by the services and keys private, whatever the umask', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-certs-'));
    try {
      // as in the deployment guide's root shell after `umask 077`
      execFileSync(
        'sh',
        ['-c', 'umask 077 && exec "$0" "$@"', process.execPath, built('certs'), '--out', dir],
        {
          stdio: 'pipe',
        },
      );
      const mode = (f: string) => (fs.statSync(path.join(dir, f)).mode & 0o777).toString(8);
      for (const f of [
        'ca.crt',
        'server.crt',
        'sensorhub-api.crt',
        'sensorhub-ingest.crt',
        'devices/esp32-01.crt',
      ])
        expect([f, mode(f)]).toEqual([f, '644']);
      for (const f of [
        'ca.key',
        'server.key',
        'sensorhub-api.key',
        'sensorhub-ingest.key',
        'devices/esp32-01.key',
      ])
        expect([f, mode(f)]).toEqual([f, '600']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('both systemd units pass systemd-analyze verify without a warning', () => {
    const units = ['sensorhub-api.service', 'sensorhub-ingest.service'];
    const r = run('systemd-analyze', ['verify', ...units.map((u) => path.join(SYSTEMD, u))], SYSTEMD);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
    for (const u of units) {
      const text = fs.readFileSync(path.join(SYSTEMD, u), 'utf8');
      for (const directive of [
        'User=sensorhub',
        'EnvironmentFile=',
        'LoadCredential=',
        'Restart=on-failure',
        'ProtectSystem=strict',
        'NoNewPrivileges=yes',
        'PrivateTmp=yes',
      ])
        expect(text).toContain(directive);
    }
  });
});
