import { Module } from '@nestjs/common';

import { DevicesModule } from '../devices/devices.module';
import { ReadingsController, SparklinesController } from './readings.controller';
import { ReadingsService } from './readings.service';

@Module({
  imports: [DevicesModule],
  controllers: [ReadingsController, SparklinesController],
  providers: [ReadingsService],
})
export class ReadingsModule {}
