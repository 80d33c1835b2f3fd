import { Alert, AlertEvent, AlertRule, AlertRuleState } from './alert.entity';
import { ApiKey } from './api-key.entity';
import { DeadLetter } from './dead-letter.entity';
import { Device } from './device.entity';
import { Reading } from './reading.entity';
import { ReadingDaily } from './reading-daily.entity';
import { ReadingHourly } from './reading-hourly.entity';
import { RefreshTokenFamily } from './refresh-token-family.entity';
import { User } from './user.entity';

export * from './alert.entity';
export * from './api-key.entity';
export * from './dead-letter.entity';
export * from './device.entity';
export * from './reading.entity';
export * from './reading-daily.entity';
export * from './reading-hourly.entity';
export * from './refresh-token-family.entity';
export * from './user.entity';

export const ENTITIES = [
  Device,
  Reading,
  ReadingHourly,
  ReadingDaily,
  DeadLetter,
  User,
  ApiKey,
  RefreshTokenFamily,
  AlertRule,
  Alert,
  AlertEvent,
  AlertRuleState,
];
