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

  /** Streams `body` through the shared importer on one pooled connection of its own. */
  async import(body: Readable, format: ImportFormat): Promise<ImportReport> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
      const report = await importReadings(client, body, { format });
      this.logger.log(
        `import (${format}): ${report.lines} lines, ${report.stored} stored, ${report.duplicates} duplicates, ` +
          `${report.rejected} rejected in ${report.seconds.toFixed(1)} s`,
      );
      return report;
    } finally {
      await runner.release();
    }
  }
}
