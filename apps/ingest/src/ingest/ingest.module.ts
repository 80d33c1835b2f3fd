import { Module } from '@nestjs/common';

import { CatalogService } from '../catalog/catalog.service';
import { IngestMetrics } from '../metrics/ingest-metrics.service';
import { StreamOutput } from '../stream/stream-output.service';
import { BatchWriter } from './batch-writer.service';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';

@Module({
  controllers: [IngestController],
  providers: [IngestService, BatchWriter, CatalogService, StreamOutput, IngestMetrics],
  exports: [BatchWriter, CatalogService, IngestMetrics],
})
export class IngestModule {}
