import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MqttContext, Payload } from '@nestjs/microservices';

import { TOPICS } from '@sensorhub/domain';

import { IngestService } from './ingest.service';

/**
 * One handler per wire-contract topic; the most specific pattern wins. Each returns the promise of its commit:
 * the transport acknowledges the message to the broker only when it resolves.
 */
@Controller()
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @EventPattern<string>(TOPICS.telemetry)
  telemetry(@Payload() payload: Buffer, @Ctx() ctx: MqttContext): Promise<void> {
    return this.ingest.accept(ctx.getTopic(), payload, delivery(ctx));
  }

  @EventPattern<string>(TOPICS.status)
  status(@Payload() payload: Buffer, @Ctx() ctx: MqttContext): Promise<void> {
    return this.ingest.accept(ctx.getTopic(), payload, delivery(ctx));
  }

  @EventPattern<string>(TOPICS.reading)
  reading(@Payload() payload: Buffer, @Ctx() ctx: MqttContext): Promise<void> {
    return this.ingest.accept(ctx.getTopic(), payload, delivery(ctx));
  }

  /** anything else under devices/ (wrong depth, empty levels): a dead letter with INVALID_TOPIC */
  @EventPattern<string>(TOPICS.all)
  malformed(@Payload() payload: Buffer, @Ctx() ctx: MqttContext): Promise<void> {
    return this.ingest.accept(ctx.getTopic(), payload, delivery(ctx));
  }
}

/** MQTT 3.1.1 §3.3.1.3: the broker sets RETAIN only on messages it sends because of a new subscription. */
const delivery = (ctx: MqttContext) => ({
  retained: (ctx.getPacket() as { retain?: boolean }).retain === true,
});
