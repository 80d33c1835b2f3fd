import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
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
import { AlertRulesService } from './alert-rules.service';
import {
  AlertRuleDto,
  CreateAlertRuleDto,
  PreviewAlertRuleDto,
  PreviewResultDto,
  UpdateAlertRuleDto,
} from './dto/alert-rule.dto';

@ApiTags('alerts')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'List alert rules' })
  @ApiOkResponse({ type: [AlertRuleDto] })
  list(): Promise<AlertRuleDto[]> {
    return this.rules.list();
  }

  @Get(':id')
  @Roles('viewer')
  @ApiOperation({ summary: 'One alert rule' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AlertRuleDto> {
    return this.rules.get(id);
  }

  @Post()
  @Roles('operator')
  @ApiOperation({
    summary: 'Create an alert rule',
    description:
      'A rule that could never fire or never clear (e.g. clearThreshold above threshold for "above", an empty ' +
      '"outside" range) is a 400 naming the field. Script actions: admins only, executables inside ALERT_SCRIPTS_DIR.',
  })
  @ApiCreatedResponse({ type: AlertRuleDto })
  @ApiErrors(400)
  create(@Body() dto: CreateAlertRuleDto, @CurrentPrincipal() me: Principal): Promise<AlertRuleDto> {
    return this.rules.create(dto, me);
  }

  @Post('preview')
  @HttpCode(200)
  @Roles('viewer')
  @ApiOperation({
    summary: 'Replay a draft rule over stored readings',
    description: 'When it would have fired and resolved, per device in its scope (at most 50 devices).',
  })
  @ApiOkResponse({ type: PreviewResultDto })
  @ApiErrors(400)
  preview(@Body() dto: PreviewAlertRuleDto): Promise<PreviewResultDto> {
    return this.rules.preview(dto);
  }

  @Patch(':id')
  @Roles('operator')
  @ApiOperation({ summary: 'Change an alert rule (the result is validated as a whole)' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiErrors(400, 404)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAlertRuleDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<AlertRuleDto> {
    return this.rules.update(id, dto, me);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('operator')
  @ApiOperation({ summary: 'Delete an alert rule and its alerts' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() me: Principal): Promise<void> {
    await this.rules.remove(id, me);
  }
}
