import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { hashPassword, RefreshTokenFamily, RevokeReason, User, verifyPassword } from '@sensorhub/domain';

import { unauthorized } from '../common/errors';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig, durationSeconds } from '../config/api.config';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { TokenDto } from './dto/login.dto';
import { ACCESS_AUDIENCE, AccessPayload } from './jwt.strategy';
import { LoginThrottleService } from './login-throttle.service';

export const REFRESH_AUDIENCE = 'sensorhub-refresh';
export const REFRESH_COOKIE = 'sensorhub_refresh';

interface RefreshPayload {
  sub: string;
  /** refresh_token_families.id */
  fam: string;
  /** the family's generation this cookie was issued for */
  gen: number;
}

/** A session: the access token, and the refresh cookie with its remaining lifetime in seconds. */
export type Session = TokenDto & { refreshToken: string; refreshMaxAge: number };

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;
  readonly accessTtl: number;
  readonly refreshTtl: number;
  readonly refreshMaxAge: number;
  private readonly reuseGraceMs: number;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleService,
  ) {
    this.accessTtl = durationSeconds(config.JWT_TTL);
    this.refreshTtl = durationSeconds(config.REFRESH_TTL);
    this.refreshMaxAge = durationSeconds(config.REFRESH_MAX_AGE);
    this.reuseGraceMs = config.REFRESH_REUSE_GRACE_SECONDS * 1000;
  }

  /** Checks the password (throttling repeated failures); starts a new refresh-token family. */
  async login(email: string, password: string, clientIp: string): Promise<Session> {
    const user = await this.checkPassword(email, password, clientIp);
    return this.startSession(user);
  }

  /**
   * The logged-in user changes their own password: every other session and token ends (the users trigger revokes
   * the families and bumps the token version); this one goes on with a new family.
   */
  async changePassword(userId: string, current: string, next: string, clientIp: string): Promise<Session> {
    const me = await this.users.findById(userId);
    if (!me) throw unauthorized('account disabled or removed');
    await this.checkPassword(me.email, current, clientIp);
    await this.users.setPassword(userId, next);
    return this.startSession((await this.users.findById(userId))!);
  }

  /**
   * Rotates the refresh cookie: the family moves to the next generation and the caller gets a cookie for it. A cookie
   * of an older generation is a replayed copy: the whole family is revoked (both the thief and the victim must log in
   * again), except the one just replaced within REFRESH_REUSE_GRACE_SECONDS (two tabs refreshing at once).
   * The session slides: it now ends REFRESH_TTL after this refresh, but never later than REFRESH_MAX_AGE after login.
   */
  async refresh(refreshToken: string | undefined): Promise<Session> {
    const p = this.verifyRefresh(refreshToken, false);
    // TypeORM answers an UPDATE with [rows, affected]
    const [rotated] = await this.db.query<[{ generation: number; expires_at: Date }[], number]>(
      `UPDATE refresh_token_families SET generation = generation + 1, rotated_at = now(),
         expires_at = least(now() + make_interval(secs => $4), created_at + make_interval(secs => $5))
       WHERE id = $1 AND user_id = $2 AND generation = $3 AND revoked_at IS NULL AND expires_at > now()
       RETURNING generation, expires_at`,
      [p.fam, p.sub, p.gen, this.refreshTtl, this.refreshMaxAge],
    );
    let family: { generation: number; expires_at: Date } | undefined = rotated[0];
    if (!family) {
      const f = await this.db.getRepository(RefreshTokenFamily).findOneBy({ id: p.fam, userId: p.sub });
      if (!f) throw unauthorized('unknown session');
      if (f.revokedAt) throw unauthorized('session ended; log in again');
      if (f.expiresAt.getTime() <= Date.now()) throw unauthorized('session expired; log in again');
      const justReplaced =
        p.gen === f.generation - 1 && Date.now() - f.rotatedAt.getTime() < this.reuseGraceMs;
      if (!justReplaced) {
        await this.revokeFamily(f.id, 'reuse');
        throw unauthorized('refresh cookie reused; the session is revoked, log in again');
      }
      family = { generation: f.generation, expires_at: f.expiresAt };
    }
    const user = await this.users.findById(p.sub);
    if (!user || user.disabled) throw unauthorized('account disabled or removed');
    return { ...this.issue(user), ...this.refreshCookie(p.sub, p.fam, family.generation, family.expires_at) };
  }

  /** Ends the cookie's family server-side, so a copy of the cookie no longer refreshes. */
  async logout(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    let p: RefreshPayload;
    try {
      p = this.verifyRefresh(refreshToken, true);
    } catch {
      return; // nothing to end: logging out stays idempotent
    }
    await this.revokeFamily(p.fam, 'logout', p.sub);
  }

  private async checkPassword(email: string, password: string, clientIp: string): Promise<User> {
    const address = clientIp;
    const pair = `${clientIp}|${email.trim().toLowerCase()}`;
    this.throttle.assertAllowed(pair, address);
    const user = await this.users.findForLogin(email);
    // verify against a dummy hash for unknown e-mails so timing does not reveal which accounts exist
    this.dummyHash ??= hashPassword('not-a-password-' + Math.random());
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !ok || user.disabled) {
      this.throttle.fail(pair, address);
      throw unauthorized('wrong e-mail or password');
    }
    this.throttle.succeed(pair);
    return user;
  }

  private async startSession(user: User): Promise<Session> {
    const expiresAt = new Date(Date.now() + this.refreshTtl * 1000);
    const [{ id }] = await this.db.query<{ id: string }[]>(
      `INSERT INTO refresh_token_families (user_id, expires_at) VALUES ($1, $2) RETURNING id`,
      [user.id, expiresAt],
    );
    return { ...this.issue(user), ...this.refreshCookie(user.id, id, 0, expiresAt) };
  }

  private refreshCookie(sub: string, fam: string, gen: number, expiresAt: Date) {
    const refreshMaxAge = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 1000));
    // the token ends with its family (expiresIn would count whole seconds from a truncated iat: up to 1 s early)
    const payload: RefreshPayload & { exp: number } = {
      sub,
      fam,
      gen,
      exp: Math.ceil(expiresAt.getTime() / 1000),
    };
    const refreshToken = this.jwt.sign(payload, { audience: REFRESH_AUDIENCE });
    return { refreshToken, refreshMaxAge };
  }

  private verifyRefresh(token: string | undefined, ignoreExpiration: boolean): RefreshPayload {
    if (!token) throw unauthorized('no refresh cookie');
    let p: RefreshPayload;
    try {
      p = this.jwt.verify<RefreshPayload>(token, { audience: REFRESH_AUDIENCE, ignoreExpiration });
    } catch {
      throw unauthorized('invalid or expired refresh cookie');
    }
    // cookies from before server-side sessions carry no family: they cannot be revoked, so they are refused
    if (typeof p.fam !== 'string' || !Number.isInteger(p.gen)) throw unauthorized('invalid refresh cookie');
    return p;
  }

  private async revokeFamily(id: string, reason: RevokeReason, userId?: string): Promise<void> {
    await this.db.query(
      `UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = $2
       WHERE id = $1 AND revoked_at IS NULL ${userId ? 'AND user_id = $3' : ''}`,
      userId ? [id, reason, userId] : [id, reason],
    );
  }

  private issue(user: User): TokenDto {
    const payload: AccessPayload = { sub: user.id, role: user.role, ver: user.tokenVersion };
    const accessToken = this.jwt.sign(payload, { audience: ACCESS_AUDIENCE, expiresIn: this.accessTtl });
    return { accessToken, expiresIn: this.accessTtl, user: UserDto.of(user) };
  }
}
