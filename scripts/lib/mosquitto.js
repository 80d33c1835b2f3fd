// A Mosquitto of our own (tests, benchmarks) with the limits of the config we ship (deploy/mosquitto/mosquitto.conf).
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SHIPPED = path.resolve(__dirname, '../../deploy/mosquitto/mosquitto.conf');

function hasMosquitto() {
  try {
    execFileSync('mosquitto', ['-h'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // `mosquitto -h` exits non-zero after printing its help
    return e.code !== 'ENOENT';
  }
}

/** Starts mosquitto on 127.0.0.1:`port` with the shipped queue and in-flight limits; resolves when it accepts connections. */
async function startMosquitto(port) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorhub-mosquitto-'));
  // keep the shipped limits; replace listeners, persistence and logging with local ones
  const limits = fs
    .readFileSync(SHIPPED, 'utf8')
    .split('\n')
    .filter((l) => /^(max_|persistent_client_expiration|set_tcp_nodelay)/.test(l.trim()));
  const conf = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    `log_dest file ${dir}/mosquitto.log`,
    ...limits,
  ];
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), conf.join('\n') + '\n');
  const proc = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (proc.exitCode !== null || Date.now() > deadline)
      throw new Error(`mosquitto did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

module.exports = { hasMosquitto, startMosquitto };
