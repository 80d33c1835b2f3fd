import { Controller, HttpCode, MessageEvent, Post, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { filter, finalize, from, interval, map, merge, mergeMap, Observable, of, takeUntil } from 'rxjs';

import {
  DEVICE_ID_PATTERN,
  LIVE_EVENTS,
  LiveNotification,
  toLiveDevice,
  toLiveReading,
} from '@sensorhub/contracts';

import { mayAccessDevice } from '../common/device-scope';
import { TicketDto } from '../auth/dto/login.dto';
import { PrincipalsService } from '../auth/principals.service';
import { TicketsService } from '../auth/tickets.service';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { AllowTicket, Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { badRequest } from '../common/errors';
import { DeviceScoped } from '../common/guards/device-scope.guard';
import { MetricsService } from '../metrics/metrics.service';
import { LiveService } from './live.service';

const HEARTBEAT_MS = 15_000;

@ApiTags('live')
@Controller('live')
export class LiveController {
  constructor(
    private readonly live: LiveService,
    private readonly tickets: TicketsService,
    private readonly principals: PrincipalsService,
    private readonly metrics: MetricsService,
  ) {}

  @Post('ticket')
  @HttpCode(200)
  @Roles('viewer')
  @ApiOperation({
    summary: 'A 30-second, single-use ticket for the live stream',
    description:
      'EventSource cannot send headers: open GET /api/v1/live?ticket=… with it instead of putting a token in the URL.',
  })
  @ApiOkResponse({ type: TicketDto })
  ticket(@CurrentPrincipal() me: Principal): TicketDto {
    return this.tickets.issue(me);
  }

  @Sse()
  @Roles('viewer')
  @AllowTicket()
  @DeviceScoped('query', 'deviceId')
  @ApiOperation({
    summary: 'Server-sent events of committed readings and device changes',
    description:
      'Authenticate with `?ticket=` (from POST /live/ticket; EventSource), a bearer token or an API key (scope read). ' +
      'Events: `ready` once subscribed; `readings` — [{deviceId, metric, ts, value}] per committed batch; ' +
      '`devices` — [{id, lastSeen, online?, status?, battery?}]; `alert` — an alert transition {alertId, ruleId, ' +
      'ruleName, deviceId, metric, severity, transition, state, value, at}; `heartbeat` every 15 s. The stream ends within ' +
      'LIVE_RECHECK_MS (default 5 s) once its user is disabled or changes password, or its API key is revoked. ' +
      'An API key bound to devices gets only their events.',
  })
  @ApiQuery({
    name: 'ticket',
    required: false,
    description: 'single-use ticket from POST /api/v1/live/ticket',
  })
  @ApiQuery({ name: 'deviceId', required: false, description: 'only this device' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream', schema: { type: 'string' } })
  @ApiErrors(400)
  stream(@CurrentPrincipal() me: Principal, @Query('deviceId') deviceId?: string): Observable<MessageEvent> {
    if (deviceId !== undefined && !DEVICE_ID_PATTERN.test(deviceId)) {
      throw badRequest('deviceId must be 1-64 of [A-Za-z0-9_-]', [
        { field: 'deviceId', errors: ['invalid'] },
      ]);
    }
    this.metrics.sseClients.inc();
    const wanted = (id: string) => (deviceId ? id === deviceId : mayAccessDevice(me, id));
    const events = this.live.notifications.pipe(
      map((n) => toEvents(n, wanted)),
      filter((e): e is MessageEvent[] => e.length > 0),
    );
    return merge(
      of([{ type: LIVE_EVENTS.ready, data: { deviceId: deviceId ?? null } } as MessageEvent]),
      events,
      interval(HEARTBEAT_MS).pipe(
        map(() => [
          { type: LIVE_EVENTS.heartbeat, data: { time: new Date().toISOString() } } as MessageEvent,
        ]),
      ),
    ).pipe(
      takeUntil(this.principals.ended(me)),
      mergeMap((batch) => from(batch)),
      finalize(() => this.metrics.sseClients.dec()),
    );
  }
}

function toEvents(n: LiveNotification, wanted: (deviceId: string) => boolean): MessageEvent[] {
  const readings = (n.readings ?? []).filter((r) => wanted(r[0])).map(toLiveReading);
  const devices = (n.devices ?? []).filter((d) => wanted(d.id)).map(toLiveDevice);
  const out: MessageEvent[] = [];
  for (const a of n.alerts ?? []) if (wanted(a.deviceId)) out.push({ type: LIVE_EVENTS.alert, data: a });
  if (devices.length) out.push({ type: LIVE_EVENTS.devices, data: devices });
  if (readings.length) out.push({ type: LIVE_EVENTS.readings, data: readings });
  return out;
}
