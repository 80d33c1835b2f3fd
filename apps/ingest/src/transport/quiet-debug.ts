/**
 * mqtt-packet calls `debug` several times for every packet it parses or writes, and each call allocates its
 * arguments even when logging is off: about 2 % of ingest's CPU at full rate, plus the garbage. Unless `DEBUG`
 * enables them, the `mqtt*` namespaces get a no-op logger instead. main.ts imports this before anything loads
 * MQTT.js; `DEBUG=mqtt*` still shows everything.
 */
import * as path from 'node:path';

type Debug = ((namespace: string) => unknown) & { enabled(namespace: string): boolean };

interface Noop {
  (...args: unknown[]): void;
  extend(): Noop;
}
const noop: Noop = Object.assign(() => undefined, {
  enabled: false,
  namespace: '',
  log: () => undefined,
  destroy: () => true,
  extend: () => noop,
});

export function quietMqttDebug(): void {
  let file: string;
  try {
    file = require.resolve('debug', { paths: [path.dirname(require.resolve('mqtt-packet'))] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads it into require.cache to wrap it
    require(file);
  } catch {
    return; // laid out differently: MQTT.js keeps its own debug calls
  }
  const cached = require.cache[file];
  const real = cached?.exports as Debug | undefined;
  if (!cached || typeof real !== 'function' || (real as { quiet?: boolean }).quiet) return;
  cached.exports = Object.assign(
    (namespace: string) =>
      namespace.startsWith('mqtt') && !real.enabled(namespace) ? noop : real(namespace),
    real,
    { quiet: true },
  );
}

quietMqttDebug();
