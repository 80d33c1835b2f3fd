import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';

import { mayAccessDevice } from '../common/device-scope';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { forbidden } from '../common/errors';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { API_PREFIX_PATH } from '../common/paths';
import {
  PACKET_EXAMPLE,
  PACKET_ID_PATTERN,
  PacketAcceptedDto,
  PacketDto,
  StoredPacketDto,
} from './dto/packet.dto';
import { PacketsService } from './packets.service';

const LOCATION = {
  Location: { description: 'GET it for the stored readings', schema: { type: 'string' } },
};

@ApiTags('packets')
@Controller('packets')
export class PacketsController {
  constructor(private readonly packets: PacketsService) {}

  @Post()
  @Roles('operator')
  @DeviceScoped('body', 'device_id')
  @ApiOperation({
    summary: 'Submit a telemetry packet',
    description:
      'Validated like a packet on devices/{id}/telemetry (400 INVALID_PACKET with details.field and details.reason), ' +
      'then published there at QoS 1 for ingest to store. 201 when ingest committed it within PACKET_COMMIT_WAIT_MS ' +
      '(default 2 s), else 202: the broker has it and ingest stores it when it can. Either way `id` and the Location ' +
      'header name GET /api/v1/packets/{id}, which shows the stored readings once committed (404 before). ' +
      'A packet without measurements only updates the device state: its id has no readings to show.',
  })
  @ApiBody({
    type: PacketDto,
    examples: { packet: { summary: 'two readings and device state', value: PACKET_EXAMPLE } },
  })
  @ApiCreatedResponse({
    type: PacketAcceptedDto,
    headers: LOCATION,
    description: 'stored (committed by ingest)',
  })
  @ApiAcceptedResponse({
    type: PacketAcceptedDto,
    headers: LOCATION,
    description: 'published to the broker; not yet committed by ingest',
  })
  @ApiErrors({ status: 400, codes: 'VALIDATION_FAILED / INVALID_PACKET' }, 409, 503)
  async submit(@Body() dto: PacketDto, @Res() res: Response): Promise<void> {
    const accepted = await this.packets.submit(dto);
    res
      .status(accepted.committed ? 201 : 202)
      .location(`${API_PREFIX_PATH}/packets/${accepted.id}`)
      .json(accepted);
  }

  @Get(':id')
  @Roles('viewer')
  @ApiOperation({ summary: 'The readings stored for a packet id from POST /packets' })
  @ApiParam({
    name: 'id',
    schema: { type: 'string', pattern: PACKET_ID_PATTERN.source },
    example: 'a1b2c3d4.1768473000000',
  })
  @ApiOkResponse({ type: StoredPacketDto })
  @ApiErrors(400, 404)
  get(@Param('id') id: string, @CurrentPrincipal() me: Principal): Promise<StoredPacketDto> {
    // an API key bound to devices reads only their packets (the device id is the start of the packet id)
    const deviceId = PACKET_ID_PATTERN.exec(id)?.[1];
    if (deviceId && !mayAccessDevice(me, deviceId))
      throw forbidden(`this API key may not access device ${deviceId}`);
    return this.packets.get(id);
  }
}
