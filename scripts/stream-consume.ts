// A consumer of SensorHub's Redis stream in a consumer group: prints each entry as one JSON line and acknowledges it
// once printed. Several with one --group split the stream; one that dies leaves its unacknowledged entries to the
// others after --claim-idle-ms. Example of the library call `consumeStream` in @sensorhub/domain.
//   npm run stream:consume -- --group analytics --consumer worker-1 [--url redis://127.0.0.1:6379]
//                             [--stream mqtt:ingestion] [--claim-idle-ms 30000]
import { parseArgs } from 'node:util';

import Redis from 'ioredis';

import { consumeStream } from '@sensorhub/domain';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    stream: { type: 'string', default: process.env.REDIS_STREAM ?? 'mqtt:ingestion' },
    group: { type: 'string' },
    consumer: { type: 'string' },
    'claim-idle-ms': { type: 'string', default: '30000' },
  },
});
if (!values.group || !values.consumer) {
  console.error('stream:consume: --group and --consumer are required');
  process.exit(2);
}
const redis = new Redis(values.url, { maxRetriesPerRequest: null });
redis.on('error', (e) => console.error(`stream:consume: redis: ${e.message}`));
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

consumeStream({
  redis,
  stream: values.stream,
  group: values.group,
  consumer: values.consumer,
  claimIdleMs: Number(values['claim-idle-ms']),
  signal: stop.signal,
  handle: async (entries) => {
    for (const e of entries) process.stdout.write(`${JSON.stringify({ id: e.id, ...e.fields })}\n`);
  },
})
  .then(() => redis.quit())
  .catch((e: Error) => {
    console.error(`stream:consume: ${e.message}`);
    process.exit(1);
  });
