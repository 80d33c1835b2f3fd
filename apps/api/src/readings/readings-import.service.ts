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
   * Streams `body` through the shared importer on four pooled connections of its own (of the pool's ten): two move
   * a chunk, the devices split between them, so PostgreSQL inserts on two cores, while the other two stage the next.
   */
  async import(body: Readable, format: ImportFormat): Promise<ImportReport> {
    const runners = Array.from({ length: 4 }, () => this.db.createQueryRunner());
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
