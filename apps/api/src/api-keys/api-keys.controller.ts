import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List API keys (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  async list(): Promise<ApiKeyDto[]> {
    return (await this.apiKeys.list()).map(ApiKeyDto.of);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Create an API key: the response holds the key, shown this once; only its hash is stored',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400)
  async create(@Body() dto: CreateApiKeyDto, @CurrentPrincipal() me: Principal): Promise<CreatedApiKeyDto> {
    const { row, key } = await this.apiKeys.create(dto, me.kind === 'user' ? me.id : null);
    return { ...ApiKeyDto.of(row), key };
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke an API key (it stops working at once)' })
  @ApiNoContentResponse({ description: 'revoked' })
  @ApiErrors(400, 404)
  async revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}
