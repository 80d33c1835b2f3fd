import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../common/decorators/auth.decorators';
import { CatalogService } from './catalog.service';
import { MetricCatalogDto } from './dto/catalog.dto';

@ApiTags('metrics')
@Controller('metrics/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({
    summary: 'The metric catalog: display names, units, decimals and physical bounds',
    description:
      "From config/metrics.yaml (METRICS_CATALOG). Readings outside a metric's bounds are refused (OUT_OF_RANGE); " +
      'metrics not listed are accepted. Re-read by POST/GET /rereadenv.',
  })
  @ApiOkResponse({ type: MetricCatalogDto })
  get(): MetricCatalogDto {
    return this.catalog.current.toJSON();
  }
}
