// A simulated fleet publishing the wire contract (DESIGN.md): telemetry packets whose temperature and humidity follow
// a daily curve with weather drift and sensor noise, a slowly draining battery, presence with a Last Will.
//   npm run simulate -- [--url mqtt://127.0.0.1:1883] [--devices 5] [--interval 2000] [--metrics temperature,humidity] [--seed 42]
// Also used by `npm start` (startSimulator).
import mqtt, { MqttClient } from 'mqtt';

/** mulberry32: a small seeded PRNG, so a fleet looks the same on every run */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SimDevice {
  id: string;
  client: MqttClient;
  rand: () => number;
  base: number;
  baseHumidity: number;
  drift: number;
  battery: number;
}

const METRICS: Record<string, (d: SimDevice, t: number) => number> = {
  // daily cycle peaking mid-afternoon, per-device offset, slow weather drift, noise
  temperature: (d, t) =>
    d.base + 4 * Math.sin(((hourOfDay(t) - 9) / 24) * 2 * Math.PI) + d.drift + (d.rand() - 0.5) * 0.3,
  humidity: (d, t) =>
    clamp(
      d.baseHumidity - 8 * Math.sin(((hourOfDay(t) - 9) / 24) * 2 * Math.PI) - d.drift * 2 + (d.rand() - 0.5),
      5,
      100,
    ),
  pressure: (d) => 1013 + d.drift * 3 + (d.rand() - 0.5) * 0.4,
  co2: (d, t) =>
    420 + 300 * Math.max(0, Math.sin(((hourOfDay(t) - 8) / 12) * Math.PI)) + (d.rand() - 0.5) * 20,
};

const hourOfDay = (t: number) => (t / 3600_000) % 24;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, digits: number) => Number(v.toFixed(digits));

export interface SimulatorOptions {
  url?: string;
  devices?: number;
  intervalMs?: number;
  metrics?: string[];
  seed?: number;
  prefix?: string;
  log?: (line: string) => void;
}

export interface Simulator {
  devices: string[];
  stop(): Promise<void>;
}

export function startSimulator({
  url = 'mqtt://127.0.0.1:1883',
  devices = 5,
  intervalMs = 2000,
  metrics = ['temperature', 'humidity'],
  seed = 42,
  prefix = 'sim',
  log = console.log,
}: SimulatorOptions = {}): Simulator {
  for (const m of metrics)
    if (!METRICS[m]) throw new Error(`unknown metric "${m}": use ${Object.keys(METRICS).join(', ')}`);
  const fleet = Array.from({ length: devices }, (_, i) => {
    const rand = prng(seed * 1000 + i);
    const id = `${prefix}-${String(i + 1).padStart(3, '0')}`;
    const client = mqtt.connect(url, {
      clientId: `${id}-${process.pid}`,
      will: { topic: `devices/${id}/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
      reconnectPeriod: 1000,
    });
    const d: SimDevice = {
      id,
      client,
      rand,
      base: 19 + rand() * 5,
      baseHumidity: 40 + rand() * 15,
      drift: 0,
      battery: 60 + rand() * 40,
    };
    client.on('connect', () => {
      // a CONNACK can arrive after stop() began ending a client that had not connected yet
      if (!client.disconnecting) client.publish(`devices/${id}/status`, 'online', { qos: 1, retain: true });
    });
    client.on('error', (err) => log(`simulator ${id}: ${err.message}`));
    return d;
  });
  const tick = () => {
    const now = Date.now();
    for (const d of fleet) {
      if (!d.client.connected) continue;
      d.drift = clamp(d.drift + (d.rand() - 0.5) * 0.05, -3, 3);
      d.battery = Math.max(0, d.battery - 0.001 * (intervalMs / 1000));
      const measurements = Object.fromEntries(metrics.map((m) => [m, round(METRICS[m](d, now), 2)]));
      const packet = {
        device_id: d.id,
        timestamp: new Date(now).toISOString(),
        measurements,
        status: d.battery < 15 ? 'low_battery' : 'ok',
        battery: Math.round(d.battery),
      };
      d.client.publish(`devices/${d.id}/telemetry`, JSON.stringify(packet), { qos: 1 });
    }
  };
  const timer = setInterval(tick, intervalMs);
  return {
    devices: fleet.map((d) => d.id),
    stop: async () => {
      clearInterval(timer);
      await Promise.all(
        fleet.map(async (d) => {
          if (d.client.connected)
            await d.client.publishAsync(`devices/${d.id}/status`, 'offline', { qos: 1, retain: true });
          await d.client.endAsync();
        }),
      );
    },
  };
}

function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === '--url') opts.url = value;
    else if (key === '--devices') opts.devices = positive(key, value);
    else if (key === '--interval') opts.intervalMs = positive(key, value);
    else if (key === '--metrics') opts.metrics = value.split(',');
    else if (key === '--seed') opts.seed = positive(key, value);
    else if (key === '--prefix') opts.prefix = value;
    else throw new Error(`unknown option ${key} (use --url --devices --interval --metrics --seed --prefix)`);
  }
  return opts;
}

function positive(key: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${key} must be a positive whole number, got "${value}"`);
  return n;
}

if (require.main === module) {
  try {
    const opts = { url: process.env.MQTT_URL, ...parseArgs(process.argv.slice(2)) };
    if (!opts.url) delete opts.url;
    const sim = startSimulator(opts);
    console.log(
      `simulating ${sim.devices.length} devices (${sim.devices[0]}…) on ${opts.url ?? 'mqtt://127.0.0.1:1883'}; Ctrl-C stops`,
    );
    process.once('SIGINT', () => void sim.stop().then(() => process.exit(0)));
    process.once('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
  } catch (err) {
    console.error(`simulate: ${(err as Error).message}`);
    process.exit(2);
  }
}
