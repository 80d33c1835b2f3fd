import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { HealthController } from './health.controller';
import { HealthMetrics } from './health.metrics';
import { RedisProbe } from './redis.probe';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [RedisProbe, HealthMetrics],
})
export class HealthModule {}
