// Runs the embedded Aedes broker as its own process (tests without Mosquitto: Jest's module sandbox cannot import()
// the ESM-only Aedes): node dist/scripts/lib/aedes-process.js <port> prints "ready <url>"; SIGTERM stops it.
import { startEmbeddedBroker } from './embedded';

startEmbeddedBroker({ port: Number(process.argv[2]) })
  .then((b) => {
    process.stdout.write(`ready ${b.url}\n`);
    process.once('SIGTERM', () => void b.stop().then(() => process.exit(0)));
  })
  .catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
