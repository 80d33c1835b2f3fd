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
import { AuthService, REFRESH_COOKIE } from './auth.service';
import { LoginDto, TokenDto } from './dto/login.dto';

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
      '(path /api/v1/auth, REFRESH_TTL, default 12 h) that POST /auth/refresh trades for new access tokens: a working ' +
      'day without re-entering the password. Repeated failures answer 429 (LOGIN_THROTTLE_LIMIT per LOGIN_THROTTLE_TTL_MS).',
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
    const { refreshToken, ...token } = await this.auth.login(dto.email, dto.password, req.ip ?? 'unknown');
    res.cookie(REFRESH_COOKIE, refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: COOKIE_PATH,
      maxAge: this.auth.refreshTtl * 1000,
    });
    return token;
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiCookieAuth('refreshCookie')
  @ApiOperation({ summary: 'Trade the refresh cookie for a new access token' })
  @ApiOkResponse({ type: TokenDto })
  @ApiUnauthorizedResponse({
    type: ErrorDto,
    description: 'UNAUTHORIZED: no, expired or invalid refresh cookie',
  })
  refresh(@Req() req: Request): Promise<TokenDto> {
    return this.auth.refresh((req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE]);
  }

  @Post('logout')
  @HttpCode(204)
  @Public()
  @ApiOperation({ summary: 'Clear the refresh cookie' })
  @ApiNoContentResponse({ description: 'cookie cleared' })
  logout(@Res({ passthrough: true }) res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Get('me')
  @Roles('viewer')
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentPrincipal() me: Principal): Promise<UserDto> {
    if (me.kind !== 'user') throw forbidden('an API key is not a user');
    return UserDto.of((await this.users.findById(me.id))!);
  }
}
