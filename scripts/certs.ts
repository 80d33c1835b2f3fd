// Development certificates with openssl (npm run certs): a CA, a server certificate for Mosquitto and the api, client
// certificates for ingest and the api (Mosquitto's mTLS listener), and one per device (CN = device id).
//   npm run certs -- [--out deploy/certs] [--host broker.example.org ...] [--device esp32-01 ...] [--force]
// Existing files are kept (a new device is signed by the CA already there); --force makes everything anew.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const HOST = /^[A-Za-z0-9.*-]{1,253}$|^[0-9a-fA-F:.]{2,45}$/;

function usage(message: string): never {
  console.error(`certs: ${message}`);
  console.error('usage: npm run certs -- [--out DIR] [--host NAME ...] [--device ID ...] [--force]');
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts = { out: 'deploy/certs', hosts: [] as string[], devices: [] as string[], force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--out') opts.out = value();
    else if (a === '--host') opts.hosts.push(...value().split(','));
    else if (a === '--device') opts.devices.push(...value().split(','));
    else if (a === '--force') opts.force = true;
    else usage(`unknown argument ${a}`);
  }
  for (const h of opts.hosts) if (!HOST.test(h)) usage(`--host ${h} is not a host name or address`);
  for (const d of opts.devices) if (!DEVICE_ID.test(d)) usage(`--device ${d} must be 1-64 of [A-Za-z0-9_-]`);
  if (!opts.devices.length) opts.devices.push('esp32-01');
  return opts;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') usage('openssl is not installed (apt-get/dnf install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${String(err.stderr).trim().split('\n').pop()}`);
  }
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A key and a certificate signed by the CA in `dir`; `usage` serverAuth (with SANs) or clientAuth. */
function leaf(dir: string, name: string, cn: string, ext: string[]): boolean {
  if (fs.existsSync(path.join(dir, `${name}.crt`))) return false;
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  const extFile = path.join(dir, `${name}.ext`);
  fs.writeFileSync(
    extFile,
    ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', ...ext].join('\n'),
  );
  try {
    openssl(
      ['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`],
      dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '825',
        '-sha256',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.crt`,
      ],
      dir,
    );
  } finally {
    fs.rmSync(extFile, { force: true });
    fs.rmSync(path.join(dir, `${name}.csr`), { force: true });
  }
  fs.chmodSync(path.join(dir, `${name}.key`), 0o600);
  fs.chmodSync(path.join(dir, `${name}.crt`), 0o644); // public: readable whatever the umask (services read them)
  return true;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = path.resolve(opts.out);
  if (opts.force) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'devices'), { recursive: true });
  const made: string[] = [];
  if (!fs.existsSync(path.join(dir, 'ca.crt'))) {
    openssl(
      [
        'req',
        '-x509',
        ...EC,
        '-days',
        '3650',
        '-sha256',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-subj',
        '/CN=SensorHub development CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    fs.chmodSync(path.join(dir, 'ca.key'), 0o600);
    fs.chmodSync(path.join(dir, 'ca.crt'), 0o644);
    made.push('ca.crt');
  }
  const names = ['localhost', 'mosquitto', 'api', ...opts.hosts];
  const san = [...new Set(names)].map((h) => (/^[0-9.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`));
  san.push('IP:127.0.0.1', 'IP:::1');
  if (
    leaf(dir, 'server', opts.hosts[0] ?? 'localhost', [
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${[...new Set(san)].join(',')}`,
    ])
  )
    made.push('server.crt');
  // the apps' own client certificates: Mosquitto's mTLS listener takes the CN as the user name
  for (const app of ['sensorhub-ingest', 'sensorhub-api'])
    if (leaf(dir, app, app, ['extendedKeyUsage=clientAuth'])) made.push(`${app}.crt`);
  for (const id of opts.devices)
    if (leaf(dir, `devices/${id}`, id, ['extendedKeyUsage=clientAuth'])) made.push(`devices/${id}.crt`);
  const rel = path.relative(process.cwd(), dir).startsWith('..')
    ? dir
    : path.relative(process.cwd(), dir) || '.';
  console.log(
    made.length
      ? `certs: made ${made.join(', ')} in ${rel}`
      : `certs: all present in ${rel} (--force makes them anew)`,
  );
  console.log(
    `certs: keep ${rel}/ca.key private; ca.crt is what clients trust (MQTT_CA_FILE, the firmware's kCaCert)`,
  );
}

try {
  main();
} catch (err) {
  console.error(`certs: ${(err as Error).message}`);
  process.exit(1);
}
