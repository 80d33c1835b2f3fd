import { databaseAnswers, registerHealthGauges } from '@sensorhub/domain';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { MetricsService } from '../metrics/metrics.service';
import { MqttService } from '../mqtt/mqtt.service';

/**
 * /metrics gauges of what /health checks, for the alert rules (database or broker unreachable), read at each scrape.
 */
@Injectable()
export class HealthMetrics {
  constructor(metrics: MetricsService, mqtt: MqttService, @InjectDataSource() db: DataSource) {
    registerHealthGauges(metrics.registry, {
      database: () => databaseAnswers((sql) => db.query(sql)),
      broker: () => mqtt.connected,
    });
  }
}
