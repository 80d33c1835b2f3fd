import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Request, Response } from 'express';

import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Public, Roles } from '../common/decorators/auth.decorators';
import { CurrentPrincipal, Principal } from '../common/decorators/principal.decorator';
import { ErrorDto } from '../common/error.dto';
import { forbidden } from '../common/errors';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AuthService, REFRESH_COOKIE, Session } from './auth.service';
import { ChangePasswordDto, LoginDto, TokenDto } from './dto/login.dto';

const COOKIE_PATH = '/api/v1/auth';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Log in with e-mail and password',
    description:
      'Returns a short-lived bearer token (JWT_TTL) and sets an httpOnly, SameSite=Strict `sensorhub_refresh` cookie ' +
      '(path /api/v1/auth, REFRESH_TTL, default 12 h) that POST /auth/refresh trades for new access tokens. Each ' +
      'refresh issues a cookie for another REFRESH_TTL, up to REFRESH_MAX_AGE (default 30 d) after the login. ' +
      'Repeated failures answer 429 (LOGIN_THROTTLE_LIMIT per LOGIN_THROTTLE_TTL_MS).',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({ type: ErrorDto, description: 'UNAUTHORIZED: wrong e-mail or password' })
  @ApiErrors(400)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenDto> {
    return setSession(req, res, await this.auth.login(dto.email, dto.password, req.ip ?? 'unknown'));
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiCookieAuth('refreshCookie')
  @ApiOperation({
    summary: 'Trade the refresh cookie for a new access token and a new refresh cookie',
    description:
      'The cookie rotates on every refresh, and slides: the new one lasts another REFRESH_TTL (at most REFRESH_MAX_AGE ' +
      'after the login). Presenting a cookie that was already traded (a copy being replayed) ' +
      'revokes the whole session: 401, and the next refresh with the newest cookie is 401 too. The cookie replaced ' +
      'within REFRESH_REUSE_GRACE_SECONDS is still accepted, for two tabs refreshing at once.',
  })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'UNAUTHORIZED: no, expired, invalid, revoked or reused refresh cookie',
  })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenDto> {
    return setSession(req, res, await this.auth.refresh(refreshCookieOf(req)));
  }

  @Post('logout')
  @HttpCode(204)
  @Public()
  @ApiCookieAuth('refreshCookie')
  @ApiOperation({
    summary: 'End the session: its refresh cookie stops working everywhere, and is cleared',
  })
  @ApiNoContentResponse({ description: 'session ended, cookie cleared' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(refreshCookieOf(req));
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Post('password')
  @HttpCode(200)
  @Roles('viewer', { usersOnly: true })
  @ApiOperation({
    summary: 'Change your own password',
    description:
      'Every other session and access token of yours stops working; this response starts a new session ' +
      '(new access token and refresh cookie). A wrong current password counts as a failed login.',
  })
  @ApiBody({ type: ChangePasswordDto })
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors(400)
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentPrincipal() me: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenDto> {
    if (me.kind !== 'user') throw forbidden('an API key has no password');
    const session = await this.auth.changePassword(
      me.id,
      dto.currentPassword,
      dto.newPassword,
      req.ip ?? 'unknown',
    );
    return setSession(req, res, session);
  }

  @Get('me')
  @Roles('viewer', { usersOnly: true })
  @ApiOperation({ summary: 'The logged-in user (a user token only: an API key is not a user, 403)' })
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentPrincipal() me: Principal): Promise<UserDto> {
    if (me.kind !== 'user') throw forbidden('an API key is not a user');
    return UserDto.of((await this.users.findById(me.id))!);
  }
}

const refreshCookieOf = (req: Request): string | undefined =>
  (req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE];

/** Sets the session's refresh cookie (httpOnly, SameSite=Strict, only sent to /api/v1/auth) and returns the token. */
function setSession(
  req: Request,
  res: Response,
  { refreshToken, refreshMaxAge, ...token }: Session,
): TokenDto {
  res.cookie(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: COOKIE_PATH,
    maxAge: refreshMaxAge * 1000,
  });
  return token;
}
