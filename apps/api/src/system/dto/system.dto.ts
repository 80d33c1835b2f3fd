import { ApiProperty } from '@nestjs/swagger';

export class PingDto {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ description: 'server time' }) time: Date;
}

export class ChangeDto {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }] }) from: unknown;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }] }) to: unknown;
}

export class MetricCatalogSummary {
  @ApiProperty({ example: '/srv/sensorhub/config/metrics.yaml' }) file: string;
  @ApiProperty({ example: 7 }) metrics: number;
}

export class RereadEnvDto {
  @ApiProperty({ example: '.env' }) file: string;
  @ApiProperty({
    description: 'runtime keys applied now, with old and new values',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ChangeDto' },
    example: { LOG_LEVEL: { from: 'log', to: 'debug' } },
  })
  changed: Record<string, ChangeDto>;
  @ApiProperty({ type: [String], description: 'keys whose new value needs a restart (values not shown)' })
  requiresRestart: string[];
  @ApiProperty({ type: [String], description: 'keys set in the process environment, which wins over .env' })
  ignored: string[];
  @ApiProperty({ type: MetricCatalogSummary, description: 'the metric catalog, read again' })
  catalog: MetricCatalogSummary;
}
