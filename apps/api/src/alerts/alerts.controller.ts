import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles, UsersOnly } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { AlertsService } from './alerts.service';
import { AcknowledgeDto, AlertDto, AlertEventDto, AlertsPageDto, AlertsQueryDto } from './dto/alert.dto';
import { AlertIdPipe } from './alert-id.pipe';

@ApiTags('alerts')
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @Roles('viewer')
  @ApiOperation({
    summary: 'Alerts, firing first',
    description: 'Filters: state, severity, deviceId, ruleId, from/to (start time); paged with limit/offset.',
  })
  @ApiOkResponse({ type: AlertsPageDto })
  @ApiErrors(400)
  list(@Query() q: AlertsQueryDto, @CurrentPrincipal() me: Principal): Promise<AlertsPageDto> {
    return this.alerts.list(q, me);
  }

  @Get('devices/:id/alerts')
  @Roles('viewer')
  @DeviceScoped('params', 'id')
  @ApiOperation({ summary: "A device's alert history (same filters and paging)" })
  @ApiOkResponse({ type: AlertsPageDto })
  @ApiErrors(400)
  history(
    @Param('id') id: string,
    @Query() q: AlertsQueryDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<AlertsPageDto> {
    return this.alerts.list({ ...q, deviceId: id }, me);
  }

  @Get('alerts/:id')
  @Roles('viewer')
  @ApiOperation({ summary: 'One alert' })
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(404)
  get(@Param('id', AlertIdPipe) id: string, @CurrentPrincipal() me: Principal): Promise<AlertDto> {
    return this.alerts.get(id, me);
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @Roles('operator')
  @UsersOnly()
  @ApiOperation({ summary: 'Acknowledge an alert (who, when, note); 409 when already acknowledged' })
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(400, 404, 409)
  acknowledge(
    @Param('id', AlertIdPipe) id: string,
    @Body() dto: AcknowledgeDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<AlertDto> {
    return this.alerts.acknowledge(id, me, dto.note);
  }

  @Get('alerts/:id/events')
  @Roles('viewer')
  @ApiOperation({
    summary: "The alert's outbox rows: each transition's actions, status, attempts and outcome",
  })
  @ApiOkResponse({ type: [AlertEventDto] })
  @ApiErrors(404)
  events(@Param('id', AlertIdPipe) id: string, @CurrentPrincipal() me: Principal): Promise<AlertEventDto[]> {
    return this.alerts.events(id, me);
  }
}
