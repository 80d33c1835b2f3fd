import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { deviceScopesOf } from '../common/device-scope';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { DeviceIdPipe } from '../common/pipes/device-id.pipe';
import { Roles } from '../common/decorators/auth.decorators';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { CacheFor } from '../common/interceptors/response-cache.interceptor';
import { DevicesService } from './devices.service';
import {
  CommandDto,
  CommandSentDto,
  DEVICE_ID_PARAM,
  DeviceDto,
  DevicesPageDto,
  DevicesQueryDto,
  LatestValueDto,
  UpdateDeviceDto,
} from './dto/device.dto';

@ApiTags('devices')
@ApiExtraModels(LatestValueDto)
@DeviceScoped('params', 'id')
@Controller('devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Roles('viewer')
  @CacheFor(1000)
  @ApiOperation({
    summary: 'A page of devices with last seen, presence, status, battery and the latest value per metric',
    description:
      'Paged with limit/offset, with the total matching q and status, and the counts of the whole fleet the caller ' +
      'may see. An API key bound to devices sees only those. Answers may be up to 2 s old (the live stream has the rest).',
  })
  @ApiOkResponse({ type: DevicesPageDto })
  @ApiErrors(400)
  list(@Query() q: DevicesQueryDto, @CurrentPrincipal() me: Principal): Promise<DevicesPageDto> {
    return this.devices.list(q, deviceScopesOf(me));
  }

  @Get(':id')
  @Roles('viewer')
  @ApiOperation({ summary: 'One device' })
  @ApiParam(DEVICE_ID_PARAM)
  @ApiOkResponse({ type: DeviceDto })
  @ApiErrors(404)
  get(@Param('id', DeviceIdPipe) id: string): Promise<DeviceDto> {
    return this.devices.get(id);
  }

  @Patch(':id')
  @Roles('operator')
  @ApiOperation({ summary: "Change a device's name, location or metadata" })
  @ApiParam(DEVICE_ID_PARAM)
  @ApiOkResponse({ type: DeviceDto })
  @ApiErrors(400, 404)
  update(@Param('id', DeviceIdPipe) id: string, @Body() dto: UpdateDeviceDto): Promise<DeviceDto> {
    return this.devices.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete a device and all its readings' })
  @ApiParam(DEVICE_ID_PARAM)
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(404)
  async remove(@Param('id', DeviceIdPipe) id: string): Promise<void> {
    await this.devices.remove(id);
  }

  @Post(':id/commands')
  @HttpCode(202)
  @Roles('operator')
  @ApiOperation({ summary: 'Send a command: JSON published at QoS 1 to devices/{id}/cmd' })
  @ApiParam(DEVICE_ID_PARAM)
  @ApiAcceptedResponse({
    type: CommandSentDto,
    description: 'the broker accepted it; the device applies it when connected',
  })
  @ApiErrors(400, 404, 503)
  sendCommand(@Param('id', DeviceIdPipe) id: string, @Body() dto: CommandDto): Promise<CommandSentDto> {
    return this.devices.sendCommand(id, dto);
  }
}
