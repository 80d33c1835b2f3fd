import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { pendingMigrations } from '@sensorhub/domain';

import { Public } from '../common/decorators/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { MqttService } from '../mqtt/mqtt.service';
import { RedisProbe } from './redis.probe';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly mqtt: MqttService,
    private readonly redis: RedisProbe,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary:
      'Database, broker (and, with REDIS_URL, Redis) reachability, and a schema matching this version (unauthenticated, for probes)',
  })
  @ApiOkResponse({
    description: 'database, schema and broker up',
    schema: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object', additionalProperties: true },
        error: { type: 'object', additionalProperties: true },
        details: { type: 'object', additionalProperties: true },
      },
      example: {
        status: 'ok',
        info: { database: { status: 'up' }, schema: { status: 'up' }, broker: { status: 'up' } },
        error: {},
        details: {},
      },
    },
  })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'SERVICE_UNAVAILABLE; details holds the per-dependency report',
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      async () => {
        // missing or behind (a restored dump, a newer version's migrations not applied): not ready
        const schema = this.indicator.check('schema');
        const pending = await pendingMigrations((sql) => this.dataSource.query(sql)).catch(() => undefined);
        if (!pending) return schema.down({ message: 'not readable' });
        return pending.length ? schema.down({ message: 'migrations pending', pending }) : schema.up();
      },
      () => {
        const broker = this.indicator.check('broker');
        return this.mqtt.connected ? broker.up() : broker.down({ message: 'not connected' });
      },
      // with REDIS_URL: ingest holds acknowledgements while its stream's Redis is down, so say so here
      ...(this.redis.configured
        ? [
            async () => {
              const redis = this.indicator.check('redis');
              return (await this.redis.up()) ? redis.up() : redis.down({ message: 'not reachable' });
            },
          ]
        : []),
    ]);
  }
}
