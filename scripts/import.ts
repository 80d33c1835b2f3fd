// Imports readings history into DATABASE_URL (npm run import -- FILE [--format csv|ndjson] [--connections N]);
// `-` reads stdin. CSV device_id,metric,ts,value (header optional) or NDJSON; prints the report as JSON; exit 1 if a
// line was rejected. N connections (default 4): half move a chunk into readings, the devices split between them, while
// the other half stage the next chunk.
import * as dotenv from 'dotenv';

import * as fs from 'node:fs';

import { Client } from 'pg';

import { importReadings } from '@sensorhub/domain';

dotenv.config({ quiet: true });

const args = process.argv.slice(2);
const fi = args.indexOf('--format');
const format = fi >= 0 ? args.splice(fi, 2)[1] : undefined;
const ci = args.indexOf('--connections');
const connections = ci >= 0 ? Number(args.splice(ci, 2)[1]) : 4;
const file = args[0];
const url = process.env.DATABASE_URL;
if (!file || args.length !== 1) {
  console.error(
    'usage: npm run import -- FILE [--format csv|ndjson] [--connections N]   (FILE "-" reads stdin)',
  );
  process.exit(2);
}
if (!Number.isInteger(connections) || connections < 1 || connections > 16) {
  console.error('import: --connections must be a whole number from 1 to 16');
  process.exit(2);
}
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error('import: DATABASE_URL must be set to a postgres:// URL');
  process.exit(2);
}
const fmt: string = format ?? (/\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : 'csv');
if (fmt !== 'csv' && fmt !== 'ndjson') {
  console.error(`import: --format must be csv or ndjson, not "${fmt}"`);
  process.exit(2);
}

async function main() {
  const input = file === '-' ? process.stdin : fs.createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    if (file === '-') return resolve();
    input.once('open', () => resolve()).once('error', reject);
  });
  const clients = Array.from({ length: connections }, () => new Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const report = await importReadings(clients, input, { format: fmt as 'csv' | 'ndjson' });
    console.log(JSON.stringify(report, null, 2));
    if (report.rejected) process.exitCode = 1;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

main().catch((err: Error) => {
  console.error(`import: ${err.message}`);
  process.exit(1);
});
