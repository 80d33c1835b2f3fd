import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ApiKey } from '@sensorhub/domain';

import { API_KEY_AUTHENTICATOR } from '../common/guards/credentials';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey])],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, { provide: API_KEY_AUTHENTICATOR, useExisting: ApiKeysService }],
  exports: [ApiKeysService, API_KEY_AUTHENTICATOR],
})
export class ApiKeysModule {}
