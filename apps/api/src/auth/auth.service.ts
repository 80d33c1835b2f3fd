import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { hashPassword, User, verifyPassword } from '@sensorhub/domain';

import { unauthorized } from '../common/errors';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig, durationSeconds } from '../config/api.config';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { TokenDto } from './dto/login.dto';
import { ACCESS_AUDIENCE } from './jwt.strategy';
import { LoginThrottleService } from './login-throttle.service';

export const REFRESH_AUDIENCE = 'sensorhub-refresh';
export const REFRESH_COOKIE = 'sensorhub_refresh';

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;
  readonly accessTtl: number;
  readonly refreshTtl: number;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
  ) {
    this.accessTtl = durationSeconds(config.JWT_TTL);
    this.refreshTtl = durationSeconds(config.REFRESH_TTL);
  }

  /** Checks the password (throttling repeated failures); returns an access token and a refresh token for the cookie. */
  async login(
    email: string,
    password: string,
    clientIp: string,
  ): Promise<TokenDto & { refreshToken: string }> {
    const key = `${clientIp}|${email.trim().toLowerCase()}`;
    this.throttle.assertAllowed(key);
    const user = await this.users.findForLogin(email);
    // verify against a dummy hash for unknown e-mails so timing does not reveal which accounts exist
    this.dummyHash ??= hashPassword('not-a-password-' + Math.random());
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !ok || user.disabled) {
      this.throttle.fail(key);
      throw unauthorized('wrong e-mail or password');
    }
    this.throttle.succeed(key);
    const refreshToken = this.jwt.sign(
      { sub: user.id },
      { audience: REFRESH_AUDIENCE, expiresIn: this.refreshTtl },
    );
    return { ...this.issue(user), refreshToken };
  }

  /** A new access token for the refresh cookie's user, while the cookie lives (REFRESH_TTL from login). */
  async refresh(refreshToken: string | undefined): Promise<TokenDto> {
    if (!refreshToken) throw unauthorized('no refresh cookie');
    let sub: string;
    try {
      sub = this.jwt.verify<{ sub: string }>(refreshToken, { audience: REFRESH_AUDIENCE }).sub;
    } catch {
      throw unauthorized('invalid or expired refresh cookie');
    }
    const user = await this.users.findById(sub);
    if (!user || user.disabled) throw unauthorized('account disabled or removed');
    return this.issue(user);
  }

  private issue(user: User): TokenDto {
    const accessToken = this.jwt.sign(
      { sub: user.id, role: user.role },
      { audience: ACCESS_AUDIENCE, expiresIn: this.accessTtl },
    );
    return { accessToken, expiresIn: this.accessTtl, user: UserDto.of(user) };
  }
}
