import {
  CanActivate,
  Controller,
  INestMicroservice,
  Injectable,
  PipeTransform,
  Scope,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';

import { directEventHandlers } from './direct-handlers';
import { IngestMqttServer } from './ingest-mqtt.server';

@Injectable()
class Upper implements PipeTransform {
  transform(v: unknown) {
    return String(v).toUpperCase();
  }
}

@Injectable()
class Deny implements CanActivate {
  canActivate() {
    return false;
  }
}

@Controller()
class Plain {
  @EventPattern<string>('plain/+')
  both(@Payload() payload: unknown, @Ctx() ctx: unknown) {
    return ['both', payload, ctx];
  }

  @EventPattern<string>('reversed')
  reversed(@Ctx() ctx: unknown, @Payload() payload: unknown) {
    return ['reversed', ctx, payload];
  }

  @EventPattern<string>('bare')
  bare(payload: unknown, ctx: unknown) {
    return ['bare', payload, ctx];
  }

  @EventPattern<string>('piped')
  @UsePipes(Upper)
  piped(@Payload() payload: unknown) {
    return payload;
  }

  @EventPattern<string>('field')
  field(@Payload('value') value: unknown) {
    return value;
  }

  @EventPattern<string>('param-pipe')
  paramPipe(@Payload(Upper) payload: unknown) {
    return payload;
  }

  @EventPattern<string>('twice')
  twiceHere() {
    return 'here';
  }

  @EventPattern<string>('other-transport', Transport.KAFKA)
  kafka() {
    return 'kafka';
  }

  @MessagePattern<string>('request')
  request(@Payload() payload: unknown) {
    return payload;
  }
}

@Controller()
@UseGuards(Deny)
class Guarded {
  @EventPattern<string>('guarded')
  guarded(@Payload() payload: unknown) {
    return payload;
  }
}

@Controller({ scope: Scope.REQUEST })
class PerRequest {
  @EventPattern<string>('per-request')
  perRequest(@Payload() payload: unknown) {
    return payload;
  }
}

@Controller()
class Second {
  @EventPattern<string>('twice')
  twiceThere() {
    return 'there';
  }
}

describe(directEventHandlers.name, () => {
  let app: INestMicroservice;
  let server: IngestMqttServer;

  async function start(setup: (app: INestMicroservice) => void = () => undefined) {
    const moduleRef = await Test.createTestingModule({
      controllers: [Plain, Guarded, PerRequest, Second],
      providers: [Upper, Deny],
    }).compile();
    server = new IngestMqttServer({
      url: 'mqtt://127.0.0.1:1', // never connected: listen() is not called
      subscription: 'x/#',
      maxUnacked: 10,
      shutdownTimeoutMs: 0,
    });
    app = moduleRef.createNestMicroservice({ strategy: server, logger: false });
    setup(app);
    await app.init();
  }

  afterEach(async () => {
    await app?.close();
  });

  it('takes only handlers Nest would call with nothing in between, with their arguments where Nest puts them', async () => {
    await start();
    const found = directEventHandlers(app, Transport.MQTT);
    const call = (pattern: string) => found.find((f) => f.pattern === pattern)!.call('p', 'c');
    expect(found.map((f) => f.pattern).sort()).toEqual(['bare', 'plain/+', 'reversed', 'twice', 'twice']);
    expect(call('plain/+')).toEqual(['both', 'p', 'c']);
    expect(call('reversed')).toEqual(['reversed', 'c', 'p']);
    expect(call('bare')).toEqual(['bare', 'p', 'c']);
  });

  it('leaves a pattern with several handlers to Nest, which runs them all', async () => {
    await start();
    expect(server.callHandlersDirectly(app)).toBe(3); // plain/+, reversed, bare; not twice
  });

  it('takes none while a global pipe, guard, interceptor or filter applies', async () => {
    await start((a) => a.useGlobalPipes(new Upper()));
    expect(directEventHandlers(app, Transport.MQTT)).toEqual([]);
    expect(server.callHandlersDirectly(app)).toBe(0);
  });
});
