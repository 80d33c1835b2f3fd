import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { PacketAcceptedDto, PacketDto } from './dto/packet.dto';
import { PacketsService } from './packets.service';

@ApiTags('packets')
@DeviceScoped('body', 'device_id')
@Controller('packets')
export class PacketsController {
  constructor(private readonly packets: PacketsService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({
    summary: 'Submit a telemetry packet',
    description:
      'Validated like a packet on devices/{id}/telemetry (400 INVALID_PACKET with details.field and details.reason), ' +
      'then published there at QoS 1; ingest stores it, usually within milliseconds. 201 means the broker has it.',
  })
  @ApiCreatedResponse({ type: PacketAcceptedDto })
  @ApiErrors(400, 503)
  submit(@Body() dto: PacketDto): Promise<PacketAcceptedDto> {
    return this.packets.submit(dto);
  }
}
