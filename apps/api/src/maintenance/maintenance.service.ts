import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import { DataSource, QueryRunner } from 'typeorm';

import { ApiConfig, retentionByMetric } from '../config/api.config';
import { API_CONFIG } from '../config/config.tokens';
import { MetricsService } from '../metrics/metrics.service';

/** pg_try_advisory_lock key: one maintenance run at a time across every api replica. */
const LOCK_KEY = 0x5e0501;
const FIRST_RUN_DELAY_MS = 5_000;
const AHEAD = { day: 'days', week: 'weeks', month: 'months' } as const;

export interface MaintenanceResult {
  /** false when another replica held the lock */
  ran: boolean;
  partitionsCreated: number;
  /** day rows made when the daily rollup's watermark moved */
  daysFolded: number;
  partitionsDropped: string[];
  readingsDeleted: number;
  hourlyDeleted: number;
  dailyDeleted: number;
  deadLettersDeleted: number;
}

/**
 * Keeps readings' partitions ahead of time, folds finished days into the daily rollup, and applies retention, on a schedule, in one api replica at a time (a
 * session advisory lock on a connection of its own): raw readings past RETENTION_DAYS (or their metric's override) go
 * by dropping whole partitions once every metric is past them and by deleting the edge, with the rollups left in
 * place (`sensorhub.keep_rollups`); rollups past ROLLUP_RETENTION_DAYS and dead letters past theirs are deleted.
 * DDL waits at most 5 s for its lock and is retried on the next run, so a long query never queues traffic behind it.
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<MaintenanceResult>;
  private readonly removed: Counter<'table'>;
  private readonly runs: Counter<'outcome'>;
  private readonly lastSuccess: Gauge;
  private readonly partitions: Gauge;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    metrics: MetricsService,
  ) {
    const registers = [metrics.registry];
    this.removed = new Counter({
      name: 'sensorhub_retention_removed_total',
      help: 'rows removed by retention, by table (readings counts rows of dropped partitions as estimated)',
      labelNames: ['table'] as const,
      registers,
    });
    this.runs = new Counter({
      name: 'sensorhub_maintenance_runs_total',
      help: 'maintenance runs by outcome: ok, skipped (another replica held the lock), failed',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'sensorhub_maintenance_last_success_timestamp_seconds',
      help: 'end of the last successful maintenance run in this replica',
      registers,
    });
    this.partitions = new Gauge({
      name: 'sensorhub_readings_partitions',
      help: 'range partitions of readings after the last maintenance run',
      registers,
    });
  }

  onApplicationBootstrap(): void {
    const every = this.config.MAINTENANCE_INTERVAL_SECONDS * 1000;
    if (!every) return;
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.run()
          .catch(() => undefined)
          .finally(() => tick(every));
      }, delay);
      this.timer.unref();
    };
    tick(Math.min(FIRST_RUN_DELAY_MS, every));
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run now (also what the schedule calls); concurrent calls in this replica share it. */
  run(): Promise<MaintenanceResult> {
    this.running ??= this.runLocked().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runLocked(): Promise<MaintenanceResult> {
    const result: MaintenanceResult = {
      ran: false,
      partitionsCreated: 0,
      daysFolded: 0,
      partitionsDropped: [],
      readingsDeleted: 0,
      hourlyDeleted: 0,
      dailyDeleted: 0,
      deadLettersDeleted: 0,
    };
    const runner = this.db.createQueryRunner();
    let locked = false;
    try {
      await runner.connect();
      const [{ ok }] = await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
      locked = ok;
      if (!locked) {
        this.runs.inc({ outcome: 'skipped' });
        this.logger.debug('maintenance: another replica is running it');
        return result;
      }
      const started = Date.now();
      await runner.query(`SET lock_timeout = '5s'`);
      await this.partitionsAhead(runner, result);
      // the days before today into readings_daily (live writes then update hour rows only)
      const [{ n: folded }] = await runner.query('SELECT sensorhub_rollup_fold() AS n');
      result.daysFolded = folded;
      await this.rawRetention(runner, result);
      await this.otherRetention(runner, result);
      result.ran = true;
      const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM sensorhub_readings_partitions()`);
      this.partitions.set(n);
      this.runs.inc({ outcome: 'ok' });
      this.lastSuccess.set(Date.now() / 1000);
      const removedSomething =
        result.partitionsCreated ||
        result.partitionsDropped.length ||
        result.readingsDeleted ||
        result.hourlyDeleted ||
        result.dailyDeleted ||
        result.deadLettersDeleted;
      const line =
        `maintenance: ${result.partitionsCreated} partitions created, ${result.daysFolded} day rows folded; dropped ` +
        `${result.partitionsDropped.length ? result.partitionsDropped.join(', ') : 'none'}; deleted ` +
        `${result.readingsDeleted} readings past retention, ${result.hourlyDeleted} hourly and ${result.dailyDeleted} ` +
        `daily rollup rows, ${result.deadLettersDeleted} dead letters (${Date.now() - started} ms)`;
      if (removedSomething) this.logger.log(line);
      else this.logger.debug(line);
      return result;
    } catch (e) {
      this.runs.inc({ outcome: 'failed' });
      this.logger.warn(`maintenance failed, retried next run: ${(e as Error).message}`);
      throw e;
    } finally {
      if (locked) await runner.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
      await runner.query('RESET lock_timeout').catch(() => undefined);
      await runner.release();
    }
  }

  private async partitionsAhead(q: QueryRunner, result: MaintenanceResult): Promise<void> {
    const width = this.config.READINGS_PARTITION_WIDTH;
    await q.query(`UPDATE readings_partitioning SET width = $1 WHERE width <> $1`, [width]);
    const [{ n }] = await q.query(
      `SELECT sensorhub_ensure_partitions(now(), now() + make_interval(${AHEAD[width]} => $1)) AS n`,
      [this.config.READINGS_PARTITIONS_AHEAD],
    );
    result.partitionsCreated += n;
    // rows written where no partition was (history by plain SQL) move into partitions of their own
    const waiting: Array<{ w: Date }> = await q.query(
      `SELECT DISTINCT sensorhub_partition_start(ts, $1) AS w FROM readings_default`,
      [width],
    );
    for (const { w } of waiting) {
      const [{ n: made }] = await q.query(`SELECT sensorhub_ensure_partitions($1, $1) AS n`, [w]);
      result.partitionsCreated += made;
    }
  }

  private async rawRetention(q: QueryRunner, result: MaintenanceResult): Promise<void> {
    const byMetric = retentionByMetric(this.config);
    const fallback = this.config.RETENTION_DAYS;
    const all = [fallback, ...byMetric.values()];
    // whole partitions go once every metric's retention is past them (none while any metric is kept forever)
    if (all.every((d) => d > 0)) {
      const parts: Array<{ part: string; rows: number }> = await q.query(
        `SELECT p.part::text AS part, greatest(c.reltuples, 0)::float8 AS rows
         FROM sensorhub_readings_partitions() p JOIN pg_class c ON c.oid = p.part
         WHERE p.hi <= now() - make_interval(days => $1) ORDER BY p.lo`,
        [Math.max(...all)],
      );
      for (const p of parts) {
        await q.query(`DROP TABLE ${p.part}`);
        result.partitionsDropped.push(p.part);
        result.readingsDeleted += p.rows;
        this.removed.inc({ table: 'readings' }, p.rows);
      }
    }
    // then the edge, row by row, leaving the rollups to their own retention
    const deletes: Array<[string, unknown[]]> = [];
    if (fallback > 0)
      deletes.push([
        `DELETE FROM readings WHERE ts < now() - make_interval(days => $1) AND metric <> ALL($2::text[])`,
        [fallback, [...byMetric.keys()]],
      ]);
    for (const [metric, days] of byMetric)
      if (days > 0)
        deletes.push([
          `DELETE FROM readings WHERE metric = $2 AND ts < now() - make_interval(days => $1)`,
          [days, metric],
        ]);
    for (const [sql, params] of deletes) {
      await q.startTransaction();
      try {
        await q.query(`SET LOCAL sensorhub.keep_rollups = on`);
        const [, n] = (await q.query(sql, params)) as [unknown, number];
        await q.commitTransaction();
        result.readingsDeleted += n;
        this.removed.inc({ table: 'readings' }, n);
      } catch (e) {
        await q.rollbackTransaction();
        throw e;
      }
    }
  }

  private async otherRetention(q: QueryRunner, result: MaintenanceResult): Promise<void> {
    const rollupDays = this.config.ROLLUP_RETENTION_DAYS;
    if (rollupDays > 0) {
      const [, h] = await q.query(
        `DELETE FROM readings_hourly WHERE bucket < now() - make_interval(days => $1)`,
        [rollupDays],
      );
      // a day goes only when all of it is past
      const [, d] = await q.query(
        `DELETE FROM readings_daily WHERE bucket + interval '1 day' <= now() - make_interval(days => $1)`,
        [rollupDays],
      );
      result.hourlyDeleted = h;
      result.dailyDeleted = d;
      this.removed.inc({ table: 'readings_hourly' }, h);
      this.removed.inc({ table: 'readings_daily' }, d);
    }
    const deadDays = this.config.DEAD_LETTER_RETENTION_DAYS;
    if (deadDays > 0) {
      const [, n] = await q.query(
        `DELETE FROM dead_letters WHERE received_at < now() - make_interval(days => $1)`,
        [deadDays],
      );
      result.deadLettersDeleted = n;
      this.removed.inc({ table: 'dead_letters' }, n);
    }
  }
}
