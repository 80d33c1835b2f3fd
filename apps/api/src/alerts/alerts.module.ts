import { Module } from '@nestjs/common';

import { LiveModule } from '../live/live.module';
import { AlertActionsService } from './alert-actions.service';
import { AlertRulesController } from './alert-rules.controller';
import { AlertRulesService } from './alert-rules.service';
import { AlertsController } from './alerts.controller';
import { AlertsProcessor } from './alerts-processor.service';
import { AlertsService } from './alerts.service';

/** Alert rules and alerts (API), and the processor that evaluates readings and performs actions (PROCESSOR_ENABLED). */
@Module({
  imports: [LiveModule],
  controllers: [AlertRulesController, AlertsController],
  providers: [AlertRulesService, AlertsService, AlertActionsService, AlertsProcessor],
})
export class AlertsModule {}
