import { Module } from '@nestjs/common';

import { DevicesModule } from '../devices/devices.module';
import { ReadingsController } from './readings.controller';
import { ReadingsService } from './readings.service';

@Module({ imports: [DevicesModule], controllers: [ReadingsController], providers: [ReadingsService] })
export class ReadingsModule {}
