import { Readable } from 'node:stream';

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PoolClient } from 'pg';
import { DataSource } from 'typeorm';

import { ImportFormat, ImportReport, importReadings } from '@sensorhub/domain';

@Injectable()
export class ReadingsImportService {
  private readonly logger = new Logger(ReadingsImportService.name);

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Streams `body` through the shared importer on two pooled connections of its own (the devices split between
   * them, so PostgreSQL inserts on two cores).
   */
  async import(body: Readable, format: ImportFormat): Promise<ImportReport> {
    const runners = [this.db.createQueryRunner(), this.db.createQueryRunner()];
    try {
      const clients: PoolClient[] = [];
      for (const runner of runners) {
        await runner.connect();
        clients.push((runner as unknown as { databaseConnection: PoolClient }).databaseConnection);
      }
      const report = await importReadings(clients, body, { format });
      this.logger.log(
        `import (${format}): ${report.lines} lines, ${report.stored} stored, ${report.duplicates} duplicates, ` +
          `${report.rejected} rejected in ${report.seconds.toFixed(1)} s`,
      );
      return report;
    } finally {
      for (const runner of runners) await runner.release();
    }
  }
}
