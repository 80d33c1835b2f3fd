import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { TOPICS } from '@sensorhub/contracts';

import { IngestMqttContext } from '../transport/ingest-mqtt.server';
import { IngestService } from './ingest.service';

/**
 * Every message under devices/: the wire parser tells telemetry, status, single readings and malformed topics
 * (INVALID_TOPIC dead letters) apart. The handler returns once the message is queued for its batch; the batch
 * acknowledges its messages to the broker together, after its commit (IngestMqttContext.claimAck).
 */
@Controller()
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @EventPattern<string>(TOPICS.all)
  message(@Payload() payload: Buffer, @Ctx() ctx: IngestMqttContext): void {
    // MQTT 3.1.1 §3.3.1.3: the broker sets RETAIN only on messages it sends because of a new subscription
    const retained = (ctx.getPacket() as { retain?: boolean }).retain === true;
    this.ingest.accept(ctx.getTopic(), payload, { retained, ticket: ctx.claimAck(), acks: ctx.acks });
  }
}
