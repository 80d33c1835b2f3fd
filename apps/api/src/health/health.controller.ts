import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';

import { Public } from '../common/decorators/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { MqttService } from '../mqtt/mqtt.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly mqtt: MqttService,
  ) {}

  @Get()
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Database and broker reachability (unauthenticated, for probes)' })
  @ApiOkResponse({ description: '{status: "ok", info: {database: {status: "up"}, broker: {status: "up"}}}' })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'SERVICE_UNAVAILABLE; details holds the per-dependency report',
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      () => {
        const broker = this.indicator.check('broker');
        return this.mqtt.connected ? broker.up() : broker.down({ message: 'not connected' });
      },
    ]);
  }
}
