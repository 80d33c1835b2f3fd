import { Module } from '@nestjs/common';

import { DevicesModule } from '../devices/devices.module';
import { ReadingsImportController } from './readings-import.controller';
import { ReadingsImportService } from './readings-import.service';
import { ReadingsController, SparklinesController } from './readings.controller';
import { ReadingsService } from './readings.service';
import { SeriesController } from './series.controller';

@Module({
  imports: [DevicesModule],
  controllers: [ReadingsController, SparklinesController, SeriesController, ReadingsImportController],
  providers: [ReadingsService, ReadingsImportService],
})
export class ReadingsModule {}
