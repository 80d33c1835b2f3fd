import { pipeline } from 'node:stream/promises';

import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { DeviceIdPipe } from '../common/pipes/device-id.pipe';
import { Roles } from '../common/decorators/auth.decorators';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { CacheFor } from '../common/interceptors/response-cache.interceptor';
import { DEVICE_ID_PARAM } from '../devices/dto/device.dto';
import { ExportQueryDto, ReadingsDto, ReadingsQueryDto } from './dto/readings.dto';
import { SparklinesDto, SparklinesQueryDto } from './dto/sparklines.dto';
import { ReadingsService } from './readings.service';

@ApiTags('readings')
@DeviceScoped('params', 'id')
@Controller('devices/:id/readings')
export class ReadingsController {
  constructor(private readonly readings: ReadingsService) {}

  @Get()
  @Roles('viewer')
  @CacheFor(1000)
  @ApiOperation({
    summary: 'Readings of one metric over a range, downsampled to at most maxPoints buckets',
    description:
      'Raw readings (count 1) when the range holds at most maxPoints, else date_bin buckets of min/avg/max/count whose ' +
      'width is the narrowest of 1 s … 30 d keeping the bucket count ≤ maxPoints. With tz, day-sized buckets start at local midnight. ' +
      'Answers may be up to 2 s old.',
  })
  @ApiParam(DEVICE_ID_PARAM)
  @ApiOkResponse({ type: ReadingsDto })
  @ApiErrors(400, 404)
  query(@Param('id', DeviceIdPipe) id: string, @Query() q: ReadingsQueryDto): Promise<ReadingsDto> {
    return this.readings.query(id, q);
  }

  @Get('export')
  @Roles('viewer')
  @ApiOperation({
    summary:
      'CSV of the raw readings in a range (streamed, no cap): device_id,metric,ts,value,unit (the unit from the ' +
      'metric catalog, empty if it names none; `npm run import` and POST /readings/import read the file back)',
  })
  @ApiParam(DEVICE_ID_PARAM)
  @ApiOkResponse({
    description: 'CSV rows ordered by metric and time (errors are JSON, as everywhere)',
    content: {
      'text/csv': {
        schema: { type: 'string' },
        example: 'device_id,metric,ts,value,unit\na1b2c3d4,temperature,2026-01-15T10:30:00.000Z,23.5,°C\n',
      },
    },
  })
  @ApiErrors(400, 404)
  async export(
    @Param('id', DeviceIdPipe) id: string,
    @Query() q: ExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const csv = await this.readings.exportCsv(id, q);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${id}${q.metric ? `-${q.metric}` : ''}.csv"`);
    await pipeline(csv, res).catch(() => undefined); // a client that goes away ends the export
  }
}

@ApiTags('readings')
@DeviceScoped('query', 'devices')
@Controller('sparklines')
export class SparklinesController {
  constructor(private readonly readings: ReadingsService) {}

  @Get()
  @Roles('viewer')
  @CacheFor(1000)
  @ApiOperation({
    summary: 'Recent trend of every metric of up to 200 devices in one request, for sparklines',
    description:
      'Per (device, metric) with readings in the last `window` seconds: the mean of at most `points` date_bin buckets ' +
      'of ⌈window / (points − 1)⌉ s at UTC multiples of the width. Devices without recent readings (or unknown) have no series. ' +
      'Answers may be up to 2 s old.',
  })
  @ApiOkResponse({ type: SparklinesDto })
  @ApiErrors(400)
  sparklines(@Query() q: SparklinesQueryDto): Promise<SparklinesDto> {
    return this.readings.sparklines(q);
  }
}
