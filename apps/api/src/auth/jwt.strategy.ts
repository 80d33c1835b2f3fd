import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig, jwtKey } from '../config/api.config';
import { Principal } from '../common/decorators/principal.decorator';
import { unauthorized } from '../common/errors';
import { UsersService } from '../users/users.service';

export const ACCESS_AUDIENCE = 'sensorhub-api';

export interface AccessPayload {
  sub: string;
  role: string;
  /** users.token_version when issued: a password change or disabling bumps it, ending older tokens */
  ver: number;
}

/**
 * Bearer access tokens; the user is re-read (UsersService.findActive) so disabling, demoting or a new password takes
 * effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwtKey(config) as unknown as string,
      audience: ACCESS_AUDIENCE,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessPayload): Promise<Principal> {
    const user = await this.users.findActive(payload.sub);
    if (!user) throw unauthorized('account disabled or removed');
    if (user.tokenVersion !== (payload.ver ?? 0)) throw unauthorized('token revoked; log in again');
    return { kind: 'user', id: user.id, email: user.email, role: user.role, tokenVersion: user.tokenVersion };
  }
}
