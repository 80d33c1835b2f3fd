// Runs an embedded PostgreSQL as its own process (used by tests that stop and restart a database):
//   node dist/scripts/lib/postgres-process.js <dataDir> <port>
// prints "ready <url>" once it accepts connections; SIGTERM stops PostgreSQL and exits.
import { startEmbeddedPostgres } from './embedded';

async function main() {
  const [dir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres({ dir, port: Number(port) });
  process.stdout.write(`ready ${pg.url('postgres')}\n`);
  const stop = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
