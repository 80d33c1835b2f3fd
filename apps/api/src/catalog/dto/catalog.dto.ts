import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class MetricInfoDto {
  @ApiProperty({ example: 'temperature', pattern: '^[a-z0-9_]{1,64}$' }) name: string;
  @ApiPropertyOptional({ example: 'Temperature' }) displayName?: string;
  @ApiPropertyOptional({ example: '°C' }) unit?: string;
  @ApiPropertyOptional({
    example: 1,
    minimum: 0,
    maximum: 6,
    description: 'digits after the point when shown',
  })
  decimals?: number;
  @ApiPropertyOptional({ example: -80, description: 'lowest physically possible value (inclusive)' })
  min?: number;
  @ApiPropertyOptional({ example: 150, description: 'highest physically possible value (inclusive)' })
  max?: number;
}

export class MetricCatalogDto {
  @ApiProperty({ type: [MetricInfoDto] }) metrics: MetricInfoDto[];
}
