import { DynamicModule, Global, Module } from '@nestjs/common';

import { JsonLogger } from '../common/logging/json-logger';
import { ApiConfig } from './api.config';
import { API_CONFIG, PINNED_ENV_KEYS } from './config.tokens';
import { RuntimeSettingsService } from './runtime-settings.service';

/** The validated configuration (read once in main.ts or given by a test), the logger and the runtime settings. */
@Global()
@Module({})
export class ApiConfigModule {
  static forRoot(config: ApiConfig, logger: JsonLogger, pinnedEnvKeys: string[]): DynamicModule {
    return {
      module: ApiConfigModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: PINNED_ENV_KEYS, useValue: pinnedEnvKeys },
        { provide: JsonLogger, useValue: logger },
        RuntimeSettingsService,
      ],
      exports: [API_CONFIG, PINNED_ENV_KEYS, JsonLogger, RuntimeSettingsService],
    };
  }
}
