/**
 * The reference `bench:ingest --sink` measures ingest against (issue 16's "minimal Node sink"): an MQTT.js QoS 1
 * subscriber that acknowledges each message on receipt (MQTT.js's own PUBACK, before anything is stored), parses its
 * JSON and writes batches of up to 5,000 rows with one multi-row INSERT. No validation, dead letters, device rows or
 * live notifications. SINK_TABLE: `readings` (with its rollup triggers) or a table of the same key without triggers,
 * created if missing. A bench tool, not a way to run SensorHub: a crash loses what it acknowledged.
 */
import mqtt from 'mqtt';
import { Client } from 'pg';

const table = process.env.SINK_TABLE ?? 'readings';

async function main() {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  if (table !== 'readings')
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${table} (device_id text, metric text, ts timestamptz, value float8, PRIMARY KEY (device_id, metric, ts))`,
    );
  let rows: Array<[string, string, number, number]> = [];
  let writing = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    clearTimeout(timer);
    timer = undefined;
    if (writing) return;
    writing = true;
    while (rows.length) {
      const b = rows;
      rows = [];
      await db.query(
        `INSERT INTO ${table} (device_id, metric, ts, value)
         SELECT d, m, to_timestamp(t / 1000.0), v FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) u(d, m, t, v)`,
        [b.map((r) => r[0]), b.map((r) => r[1]), b.map((r) => r[2]), b.map((r) => r[3])],
      );
    }
    writing = false;
  };
  const client = mqtt.connect(process.env.MQTT_URL!, { clientId: process.env.INGEST_CLIENT_ID, clean: true });
  client.on('message', (topic, payload) => {
    const [, device, metric] = topic.split('/');
    const { ts, value } = JSON.parse(payload.toString()) as { ts: number; value: number };
    rows.push([device, metric, ts, value]);
    // a batch at 5,000 rows or 2 ms after its first (one timer per batch); rows arriving during a write join the next
    if (rows.length >= 5000) void flush();
    else timer ??= setTimeout(() => void flush(), 2);
  });
  client.on('connect', () =>
    client.subscribe('devices/#', { qos: 1 }, () => console.log('subscribed to devices/#')),
  );
  process.on('SIGTERM', () => {
    void flush().then(async () => {
      await client.endAsync();
      await db.end();
      process.exit(0);
    });
  });
}

void main();
