import { Gauge, Registry } from 'prom-client';

/**
 * `sensorhub_database_up` and `sensorhub_broker_connected` in `registry`, read at each scrape: the same names in both
 * apps, so one alert rule (deploy/prometheus/alerts.yml) covers both.
 */
export function registerHealthGauges(
  registry: Registry,
  probes: { database: () => Promise<boolean>; broker: () => boolean },
): void {
  new Gauge({
    name: 'sensorhub_database_up',
    help: '1 when PostgreSQL answered SELECT 1 within 2 s at this scrape',
    registers: [registry],
    async collect() {
      this.set((await probes.database()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sensorhub_broker_connected',
    help: '1 while connected to the MQTT broker',
    registers: [registry],
    collect() {
      this.set(probes.broker() ? 1 : 0);
    },
  });
}
