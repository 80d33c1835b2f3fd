import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { Principal } from '../common/decorators/principal.decorator';
import { unauthorized } from '../common/errors';
import { PrincipalsService } from './principals.service';

export const TICKET_TTL_SECONDS = 30;
export const TICKET_AUDIENCE = 'sensorhub-live';

/**
 * Short-lived, single-use tickets for EventSource (which cannot send headers), so no long-lived token ends up in a
 * URL or an access log. Signed, so any replica can check one; single use is enforced per replica.
 */
@Injectable()
export class TicketsService {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly jwt: JwtService,
    private readonly principals: PrincipalsService,
  ) {}

  issue(principal: Principal): { ticket: string; expiresIn: number } {
    const ticket = this.jwt.sign(
      { p: principal },
      { audience: TICKET_AUDIENCE, expiresIn: TICKET_TTL_SECONDS, jwtid: randomUUID() },
    );
    return { ticket, expiresIn: TICKET_TTL_SECONDS };
  }

  /** The ticket's principal as it is now: a user disabled or a key revoked since the ticket was issued is refused. */
  async redeem(ticket: string): Promise<Principal> {
    let payload: { p: Principal; jti: string; exp: number };
    try {
      payload = this.jwt.verify(ticket, { audience: TICKET_AUDIENCE });
    } catch {
      throw unauthorized('invalid or expired ticket');
    }
    const now = Date.now();
    for (const [jti, exp] of this.used) if (exp * 1000 < now) this.used.delete(jti);
    if (this.used.has(payload.jti)) throw unauthorized('ticket already used');
    this.used.set(payload.jti, payload.exp);
    const current = await this.principals.current(payload.p);
    if (!current) throw unauthorized('the ticket’s user or API key is no longer allowed');
    return current;
  }
}
