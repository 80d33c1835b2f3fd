import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { ImportFormat } from '@sensorhub/domain';

export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['csv', 'ndjson'],
    description: 'default from Content-Type: text/csv → csv, application/x-ndjson → ndjson',
  })
  @IsOptional()
  @IsIn(['csv', 'ndjson'])
  format?: ImportFormat;
}

export class RejectedLineDto {
  @ApiProperty({ description: '1-based line of the file' }) line: number;
  @ApiProperty({ example: 'INVALID_VALUE' }) reason: string;
  @ApiProperty() detail: string;
}

export class ImportReportDto {
  @ApiProperty({ description: 'data lines read (header and blank lines not counted)' }) lines: number;
  @ApiProperty({ description: 'new readings stored' }) stored: number;
  @ApiProperty({
    description: 'valid lines whose (device_id, metric, ts) was stored already or earlier in the file',
  })
  duplicates: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ type: [RejectedLineDto], description: 'the first 1,000 rejected lines' })
  errors: RejectedLineDto[];
  @ApiProperty() seconds: number;
  @ApiProperty() rowsPerSecond: number;
}
