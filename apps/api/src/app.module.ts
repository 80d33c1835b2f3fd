import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';

import { dataSourceOptions } from '@sensorhub/domain';

import { AlertsModule } from './alerts/alerts.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { AuthGuard } from './common/guards/auth.guard';
import { DeviceScopeGuard } from './common/guards/device-scope.guard';
import { RolesGuard } from './common/guards/roles.guard';
import { ResponseCacheInterceptor } from './common/interceptors/response-cache.interceptor';
import { WindowThrottlerStorage } from './common/throttle/window-storage';
import { JsonLogger } from './common/logging/json-logger';
import { ApiConfig } from './config/api.config';
import { ApiConfigModule } from './config/config.module';
import { RuntimeSettingsService } from './config/runtime-settings.service';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { MqttModule } from './mqtt/mqtt.module';
import { PacketsModule } from './packets/packets.module';
import { ReadingsModule } from './readings/readings.module';
import { SystemModule } from './system/system.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, logger: JsonLogger, pinnedEnvKeys: string[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ApiConfigModule.forRoot(config, logger, pinnedEnvKeys),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.DATABASE_URL, { extra: { max: 10, connectionTimeoutMillis: 5000 } }),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        ThrottlerModule.forRootAsync({
          inject: [RuntimeSettingsService],
          // functions, so /rereadenv changes apply to the next request
          useFactory: (s: RuntimeSettingsService) => ({
            throttlers: [
              { name: 'default', ttl: () => s.get().THROTTLE_TTL_MS, limit: () => s.get().THROTTLE_LIMIT },
            ],
            storage: new WindowThrottlerStorage(),
          }),
        }),
        MetricsModule,
        CatalogModule,
        MqttModule,
        AuthModule,
        UsersModule,
        ApiKeysModule,
        DevicesModule,
        ReadingsModule,
        PacketsModule,
        MessagesModule,
        DeadLettersModule,
        SystemModule,
        LiveModule,
        AlertsModule,
        HealthModule,
        MaintenanceModule,
      ],
      // order matters: throttle first (also unauthenticated floods), then authenticate, then authorise (role, devices)
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: DeviceScopeGuard },
        { provide: APP_INTERCEPTOR, useClass: ResponseCacheInterceptor },
      ],
    };
  }
}
