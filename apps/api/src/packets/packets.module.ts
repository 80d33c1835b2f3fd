import { Module } from '@nestjs/common';

import { DevicesModule } from '../devices/devices.module';
import { LiveModule } from '../live/live.module';
import { PacketsController } from './packets.controller';
import { PacketsService } from './packets.service';

@Module({
  imports: [DevicesModule, LiveModule],
  controllers: [PacketsController],
  providers: [PacketsService],
})
export class PacketsModule {}
