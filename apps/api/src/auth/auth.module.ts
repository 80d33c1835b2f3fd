import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';

import { ApiKeysModule } from '../api-keys/api-keys.module';
import { TICKET_REDEEMER } from '../common/guards/credentials';
import { API_CONFIG } from '../config/config.tokens';
import { ApiConfig, jwtKey } from '../config/api.config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { LoginThrottleService } from './login-throttle.service';
import { PrincipalsService } from './principals.service';
import { TicketsService } from './tickets.service';

@Module({
  imports: [
    PassportModule,
    UsersModule,
    ApiKeysModule,
    JwtModule.registerAsync({
      inject: [API_CONFIG],
      useFactory: (c: ApiConfig) => ({
        // @nestjs/jwt types the secret as string | Buffer; jsonwebtoken takes a KeyObject as is
        secret: jwtKey(c) as unknown as string,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    JwtStrategy,
    LoginThrottleService,
    TicketsService,
    PrincipalsService,
    { provide: TICKET_REDEEMER, useExisting: TicketsService },
  ],
  exports: [TicketsService, PrincipalsService, ApiKeysModule, TICKET_REDEEMER],
})
export class AuthModule {}
