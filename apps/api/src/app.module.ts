import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { dataSourceOptions } from '@sensorhub/domain';

import { HealthController } from './health/health.controller';

@Module({
  imports: [TypeOrmModule.forRoot(dataSourceOptions(process.env.DATABASE_URL ?? ''))],
  controllers: [HealthController],
})
export class AppModule {}
