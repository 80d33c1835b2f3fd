import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { deviceScopesOf } from '../common/device-scope';
import { MessagesDto, MessagesQueryDto } from './dto/messages.dto';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({
    summary:
      'Readings of a metric (key), optionally of one device or value, newest first, with the total count',
  })
  @ApiOkResponse({ type: MessagesDto })
  @ApiErrors(400)
  find(@Query() q: MessagesQueryDto, @CurrentPrincipal() me: Principal): Promise<MessagesDto> {
    return this.messages.find(q, deviceScopesOf(me));
  }
}
