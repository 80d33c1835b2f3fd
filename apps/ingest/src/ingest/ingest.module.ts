import { Module } from '@nestjs/common';

import { BatchWriter } from './batch-writer.service';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';

@Module({
  controllers: [IngestController],
  providers: [IngestService, BatchWriter],
  exports: [BatchWriter],
})
export class IngestModule {}
