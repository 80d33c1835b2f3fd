import { timingSafeEqual } from 'node:crypto';

import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Response } from 'express';

import { Public } from '../common/decorators/auth.decorators';
import { ErrorDto } from '../common/error.dto';
import { unauthorized } from '../common/errors';
import { ApiConfig } from '../config/api.config';
import { API_CONFIG } from '../config/config.tokens';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Prometheus metrics (outside /api/v1). With METRICS_TOKEN set: `Authorization: Bearer <METRICS_TOKEN>`, else 401',
  })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'UNAUTHORIZED: METRICS_TOKEN is set and was not sent',
  })
  async scrape(@Headers('authorization') auth: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.METRICS_TOKEN;
    if (token) {
      const given = Buffer.from(/^Bearer (.+)$/i.exec(auth ?? '')?.[1] ?? '');
      const want = Buffer.from(token);
      if (given.length !== want.length || !timingSafeEqual(given, want))
        throw unauthorized('METRICS_TOKEN required');
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
