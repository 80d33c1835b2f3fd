import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { ChangeDto, PingDto, RereadEnvDto } from './dto/system.dto';
import { SystemService } from './system.service';

@ApiTags('system')
@ApiExtraModels(ChangeDto)
@Controller()
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('ping')
  @Roles('viewer')
  @ApiOperation({ summary: 'Status and server time' })
  @ApiOkResponse({ type: PingDto })
  ping(): PingDto {
    return { status: 'ok', time: new Date() };
  }

  @Post('rereadenv')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Re-read .env and apply what can change at run time; report what changed',
    description:
      'POST, as it changes state. 400 when the file holds an invalid value (nothing is applied then).',
  })
  @ApiOkResponse({ type: RereadEnvDto })
  @ApiErrors(400, 404)
  rereadEnv(): Promise<RereadEnvDto> {
    return this.system.rereadEnv();
  }

  /** The original specification names GET; kept for it, documented as deprecated. */
  @Get('rereadenv')
  @Roles('admin')
  @ApiOperation({ summary: 'Same as POST /rereadenv (kept for compatibility; use POST)', deprecated: true })
  @ApiOkResponse({ type: RereadEnvDto })
  @ApiErrors(400, 404)
  rereadEnvByGet(): Promise<RereadEnvDto> {
    return this.system.rereadEnv();
  }
}
