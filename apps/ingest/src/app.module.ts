import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { dataSourceOptions, MetricCatalog } from '@sensorhub/domain';

import { INGEST_CONFIG } from './config/config.tokens';
import { IngestConfig } from './config/ingest.config';
import { IngestModule } from './ingest/ingest.module';

@Global()
@Module({})
export class AppModule {
  /** `config` is validated once in main.ts: the transport needs it before the module graph exists. */
  static forRoot(config: IngestConfig, catalog: MetricCatalog = MetricCatalog.empty): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.DATABASE_URL, { extra: { max: 4, connectionTimeoutMillis: 5000 } }),
          // start even when the database is down: batches are retried until it is back
          retryAttempts: Number.MAX_SAFE_INTEGER,
          retryDelay: 1000,
          manualInitialization: false,
        }),
        IngestModule,
      ],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        { provide: MetricCatalog, useValue: catalog },
      ],
      exports: [INGEST_CONFIG, MetricCatalog],
    };
  }
}
