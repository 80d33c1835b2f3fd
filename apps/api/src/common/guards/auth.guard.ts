import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { Request } from 'express';

import { API_KEY_HEADER, PUBLIC_KEY, TICKET_KEY } from '../decorators/auth.decorators';
import { unauthorized } from '../errors';
import { API_KEY_AUTHENTICATOR, ApiKeyAuthenticator, TICKET_REDEEMER, TicketRedeemer } from './credentials';

/**
 * Authenticates every route not marked @Public(): `X-API-Key`, else a single-use `?ticket=` where @AllowTicket(),
 * else the Passport JWT strategy (Authorization: Bearer). Sets `req.user` to the Principal.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_AUTHENTICATOR) private readonly apiKeys: ApiKeyAuthenticator,
    @Inject(TICKET_REDEEMER) private readonly tickets: TicketRedeemer,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: unknown }>();
    const key = req.headers[API_KEY_HEADER];
    if (typeof key === 'string') {
      req.user = await this.apiKeys.authenticate(key);
      return true;
    }
    const ticket = req.query?.ticket;
    if (typeof ticket === 'string' && this.reflector.getAllAndOverride<boolean>(TICKET_KEY, targets)) {
      req.user = await this.tickets.redeem(ticket);
      return true;
    }
    if (!req.headers.authorization) throw unauthorized();
    return (await super.canActivate(ctx)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    // an error from validate() (e.g. the database is down) is not a bad token: let the filter map it
    if (err) throw err;
    if (!user) {
      throw unauthorized(
        (info as Error | undefined)?.name === 'TokenExpiredError' ? 'token expired' : 'invalid token',
      );
    }
    return user;
  }
}
