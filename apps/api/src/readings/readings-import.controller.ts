import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';

import { ImportFormat } from '@sensorhub/domain';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { badRequest } from '../common/errors';
import { ImportQueryDto, ImportReportDto } from './dto/import.dto';
import { ReadingsImportService } from './readings-import.service';

const FORMAT_BY_TYPE: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
};

@ApiTags('readings')
@Controller('readings/import')
export class ReadingsImportController {
  constructor(private readonly imports: ReadingsImportService) {}

  @Post()
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({
    summary: 'Import history: CSV device_id,metric,ts,value or NDJSON, streamed',
    description:
      'Each line is validated as the wire contract validates a reading (no lower bound on ts: this is history); valid ' +
      'lines go through COPY into a staging table and into readings with ON CONFLICT DO NOTHING, so importing the same ' +
      'file twice stores nothing the second time. The report counts stored, duplicate and rejected lines and lists ' +
      'rejected ones by line number. Partitions and devices are created as needed; the rollups follow.',
  })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    schema: {
      type: 'string',
      example: 'device_id,metric,ts,value\nt1,temperature,2025-01-01T00:00:00Z,21.5\n',
    },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiErrors(400)
  import(@Query() q: ImportQueryDto, @Req() req: Request): Promise<ImportReportDto> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const format = q.format ?? FORMAT_BY_TYPE[type];
    if (!format)
      throw badRequest('send Content-Type text/csv or application/x-ndjson, or ?format=csv|ndjson', [
        { field: 'format', errors: [`cannot tell the format from Content-Type "${type}"`] },
      ]);
    if (req.readableEnded || type === 'application/json')
      throw badRequest('the body must be CSV or NDJSON, not application/json', [
        { field: 'format', errors: ['use application/x-ndjson for JSON lines'] },
      ]);
    return this.imports.import(req, format);
  }
}
