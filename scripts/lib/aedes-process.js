// Runs the embedded Aedes broker as its own process (tests without Mosquitto): node scripts/lib/aedes-process.js <port>
// prints "ready <url>"; SIGTERM stops it.
const { startEmbeddedBroker } = require('./embedded');

startEmbeddedBroker({ port: Number(process.argv[2]) })
  .then((b) => {
    process.stdout.write(`ready ${b.url}\n`);
    process.once('SIGTERM', () => b.stop().then(() => process.exit(0)));
  })
  .catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
