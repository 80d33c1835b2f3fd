import { databaseAnswers } from '@sensorhub/domain';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

import { MetricsService } from '../metrics/metrics.service';
import { MqttService } from '../mqtt/mqtt.service';

/**
 * /metrics gauges of what /health checks, for the alert rules (database or broker unreachable): read at each scrape,
 * with the same names as ingest's so one rule covers both apps.
 */
@Injectable()
export class HealthMetrics {
  constructor(metrics: MetricsService, mqtt: MqttService, @InjectDataSource() db: DataSource) {
    new Gauge({
      name: 'sensorhub_database_up',
      help: '1 when PostgreSQL answered SELECT 1 within 2 s at this scrape',
      registers: [metrics.registry],
      async collect() {
        this.set((await databaseAnswers((sql) => db.query(sql))) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'sensorhub_broker_connected',
      help: '1 while connected to the MQTT broker',
      registers: [metrics.registry],
      collect() {
        this.set(mqtt.connected ? 1 : 0);
      },
    });
  }
}
