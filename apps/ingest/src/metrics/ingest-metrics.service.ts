import * as http from 'node:http';

import { databaseAnswers, registerHealthGauges } from '@sensorhub/domain';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';

/** What a committed batch held: counted after the commit, so a retried transaction counts once. */
export interface CommittedBatch {
  messages: number;
  readings: number;
  deadReasons: readonly string[];
  seconds: number;
}

/** The state /metrics reads from the MQTT transport at each scrape. */
export interface BrokerState {
  readonly connected: boolean;
  readonly unacked: number;
}

/**
 * Ingest's Prometheus metrics (served on INGEST_METRICS_PORT by serveMetrics): counters the batch writer moves once
 * per committed batch, and gauges read only when scraped — nothing here runs per message.
 */
@Injectable()
export class IngestMetrics {
  readonly registry = new Registry();
  private broker?: BrokerState;
  private readonly messages = new Counter({
    name: 'sensorhub_ingest_messages_total',
    help: 'MQTT messages committed (as readings, device state or dead letters)',
    registers: [this.registry],
  });
  private readonly readings = new Counter({
    name: 'sensorhub_ingest_readings_total',
    help: 'readings stored (redeliveries of stored readings not counted)',
    registers: [this.registry],
  });
  private readonly deadLetters = new Counter({
    name: 'sensorhub_ingest_dead_letters_total',
    help: 'messages stored as dead letters, by reason code',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly batchDuration = new Histogram({
    name: 'sensorhub_ingest_batch_duration_seconds',
    help: 'time from a batch being taken by the writer to its commit (retries included)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() db: DataSource) {
    const broker = () => this.broker;
    new Gauge({
      name: 'sensorhub_ingest_unacked_messages',
      help: 'messages received and not yet acknowledged to the broker (waiting for their commit)',
      registers: [this.registry],
      collect() {
        this.set(broker()?.unacked ?? 0);
      },
    });
    registerHealthGauges(this.registry, {
      database: () => databaseAnswers((sql) => db.query(sql)),
      broker: () => broker()?.connected ?? false,
    });
    collectDefaultMetrics({ register: this.registry });
  }

  watch(broker: BrokerState): void {
    this.broker = broker;
  }

  committed(batch: CommittedBatch): void {
    this.messages.inc(batch.messages);
    this.readings.inc(batch.readings);
    for (const reason of batch.deadReasons) this.deadLetters.inc({ reason });
    this.batchDuration.observe(batch.seconds);
  }
}

/** GET /metrics on host:port (Prometheus' text format); anything else 404. Resolves once listening. */
export async function serveMetrics(metrics: IngestMetrics, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
