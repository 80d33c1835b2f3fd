import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { CacheFor } from '../common/interceptors/response-cache.interceptor';
import { SeriesDto, SeriesQueryDto } from './dto/series.dto';
import { ReadingsService } from './readings.service';

@ApiTags('readings')
@DeviceScoped('query', 'series')
@Controller('series')
export class SeriesController {
  constructor(private readonly readings: ReadingsService) {}

  @Get()
  @Roles('viewer')
  @CacheFor(1000)
  @ApiOperation({
    summary:
      'Several device:metric series over one range in one request, each downsampled as the readings route does',
    description:
      'Every series is answered exactly as GET /devices/{id}/readings?metric= would (raw points up to maxPoints, else ' +
      'min/avg/max/count buckets of the same width for all series of the range), in the order asked. A device unknown ' +
      'answers 404; more than SERIES_MAX series 400. Answers may be up to 2 s old.',
  })
  @ApiOkResponse({ type: SeriesDto })
  @ApiErrors(400, 404)
  many(@Query() q: SeriesQueryDto): Promise<SeriesDto> {
    return this.readings.many(q);
  }
}
