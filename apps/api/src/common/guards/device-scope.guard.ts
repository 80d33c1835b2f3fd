import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';

import { mayAccessDevice } from '../device-scope';
import { Principal } from '../decorators/principal.decorator';
import { forbidden } from '../errors';

export const DEVICE_SCOPE_KEY = 'sensorhub:device-scope';

type Source = 'params' | 'query' | 'body';

/**
 * Where a route names the device(s) it touches, for API keys bound to devices: `params.id`, `body.device_id`,
 * `query.devices` (comma-separated), `query.series` (comma-separated `device:metric`). Routes that list many devices filter by the key's scopes themselves.
 */
export const DeviceScoped = (from: Source, field: string) => SetMetadata(DEVICE_SCOPE_KEY, { from, field });

/** 403 when an API key bound to devices names a device outside its scopes (runs after authentication). */
@Injectable()
export class DeviceScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const where = this.reflector.getAllAndOverride<{ from: Source; field: string } | undefined>(
      DEVICE_SCOPE_KEY,
      [ctx.getHandler(), ctx.getClass()],
    );
    if (!where) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (req.user?.kind !== 'apiKey' || !req.user.deviceScopes) return true;
    const raw: unknown = (req[where.from] as Record<string, unknown> | undefined)?.[where.field];
    const ids = (Array.isArray(raw) ? raw : [raw])
      .filter((v): v is string => typeof v === 'string')
      .flatMap((v) => v.split(','))
      .map((v) => v.split(':')[0]); // series name device:metric; ids never hold a colon
    const denied = ids.find((id) => !mayAccessDevice(req.user, id));
    if (denied !== undefined) throw forbidden(`this API key may not access device ${denied}`);
    return true;
  }
}
