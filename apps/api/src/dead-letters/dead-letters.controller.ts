import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { badRequest } from '../common/errors';
import { ErrorDto } from '../common/error.dto';
import { DeadLettersService } from './dead-letters.service';
import {
  DeadLetterFilterDto,
  DeadLettersDto,
  DeadLettersQueryDto,
  ReasonCountDto,
  ReplayedDto,
} from './dto/dead-letters.dto';

@ApiTags('dead-letters')
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @Roles('operator')
  @ApiOperation({
    summary: 'Messages ingest could not store, newest first, with why (reason code and detail)',
    description:
      'Filters: reason, device (the {id} of devices/{id}/…), received time [from, to). The payload is shown as ' +
      'text when it is UTF-8 without control characters (other than tab, LF, CR), else base64 (payloadEncoding). ' +
      'An API key bound to devices sees only dead letters of its devices.',
  })
  @ApiOkResponse({ type: DeadLettersDto })
  @ApiErrors(400)
  find(@Query() q: DeadLettersQueryDto, @CurrentPrincipal() me: Principal): Promise<DeadLettersDto> {
    return this.deadLetters.find(q, me);
  }

  @Get('summary')
  @Roles('operator')
  @ApiOperation({ summary: 'Dead letters per reason under the same filters, most frequent first' })
  @ApiOkResponse({ type: [ReasonCountDto] })
  @ApiErrors(400)
  summary(@Query() q: DeadLetterFilterDto, @CurrentPrincipal() me: Principal): Promise<ReasonCountDto[]> {
    return this.deadLetters.summary(q, me);
  }

  @Post(':id/replay')
  @Roles('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiParam({ name: 'id', example: '42' })
  @ApiOperation({
    summary:
      'Publish a dead letter again, so ingest re-validates it by the current contract and metric catalog',
    description:
      'Publishes the original topic and payload at QoS 1; 202 means the broker has it. Ingest then stores it as ' +
      'readings, or records a new dead letter if it is still refused (this one stays, with replayedAt and ' +
      'replayCount). Idempotent: readings are keyed on (device, metric, ts), so replaying a dead letter twice ' +
      'stores nothing new — except for a payload without a timestamp, which takes its time of receipt anew. ' +
      'A payload that was cut to 16 KiB when stored cannot be replayed (409 DEAD_LETTER_TRUNCATED); nor can a ' +
      'topic outside devices/{id}/… or a command topic (409 DEAD_LETTER_NOT_REPLAYABLE).',
  })
  @ApiAcceptedResponse({ type: ReplayedDto })
  @ApiErrors(400, 404, 503)
  @ApiConflictResponse({ type: ErrorDto, description: 'DEAD_LETTER_TRUNCATED / DEAD_LETTER_NOT_REPLAYABLE' })
  replay(@Param('id') id: string, @CurrentPrincipal() me: Principal): Promise<ReplayedDto> {
    if (!/^[1-9]\d{0,17}$/.test(id)) throw badRequest('id must be a dead letter id (a positive integer)');
    return this.deadLetters.replay(id, me);
  }
}
