import { Module } from '@nestjs/common';

import { DevicesModule } from '../devices/devices.module';
import { ReadingsImportController } from './readings-import.controller';
import { ReadingsImportService } from './readings-import.service';
import { ReadingsController, SparklinesController } from './readings.controller';
import { ReadingsService } from './readings.service';

@Module({
  imports: [DevicesModule],
  controllers: [ReadingsController, SparklinesController, ReadingsImportController],
  providers: [ReadingsService, ReadingsImportService],
})
export class ReadingsModule {}
