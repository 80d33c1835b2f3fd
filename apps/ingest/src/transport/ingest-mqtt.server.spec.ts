import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MqttContext, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import mqtt, { MqttClient } from 'mqtt';

import { brokerUrl, connectClient, dropSession, testClientId } from '../../../../test/support/broker';
import { waitFor } from '../../../../test/support/database';
import { IngestMqttContext, IngestMqttServer } from './ingest-mqtt.server';
import { Acks } from './puback-gate';

/** A decorated handler as ingest's: no pipes, guards, interceptors or filters, so the transport calls it directly. */
@Controller()
class DirectController {
  static seen: string[] = [];

  @EventPattern<string>('devices/+/+')
  message(@Payload() payload: Buffer, @Ctx() ctx: MqttContext): unknown {
    const v = Number(payload.toString());
    DirectController.seen.push(`${ctx.getTopic().split('/')[2]}=${v}`);
    if (v === 2) throw new Error('database unavailable');
    if (v === 3) return new Promise(() => undefined); // never commits
    if (v === 4) return Promise.reject(new Error('commit failed'));
    return undefined; // done at once
  }
}

// The transport on the run's real broker, with handlers standing in for the batch writer: a handler's promise
// resolving is "committed". What matters to a user: nothing is acknowledged before its commit, and reading pauses
// while too many messages wait for theirs.
describe(IngestMqttServer.name, () => {
  let n = 0;
  const cleanups: Array<() => Promise<unknown>> = [];

  function setup(opts: { maxUnacked?: number; maxUnackedBytes?: number; shutdownTimeoutMs?: number } = {}) {
    const device = `tr${process.pid}x${++n}`;
    const clientId = testClientId(`transport-${n}`);
    const server = new IngestMqttServer({
      url: brokerUrl(),
      clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 200,
      subscription: `devices/${device}/+`,
      maxUnacked: opts.maxUnacked ?? 100,
      maxUnackedBytes: opts.maxUnackedBytes,
      shutdownTimeoutMs: opts.shutdownTimeoutMs ?? 2000,
    });
    const received: string[] = [];
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await server.close();
      await dropSession(brokerUrl(), clientId);
    });
    const listen = () =>
      new Promise<void>((resolve, reject) =>
        server.listen((err?: unknown) => (err ? reject(err) : resolve())),
      );
    const stop = async () => {
      stopped = true;
      await server.close();
    };
    return { server, device, clientId, received, listen, stop };
  }

  let publisher: MqttClient;
  beforeAll(async () => {
    publisher = await connectClient(brokerUrl(), { clientId: testClientId('transport-pub'), clean: true });
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  afterAll(async () => {
    await publisher.endAsync();
  });

  /** The messages the broker still holds for clientId's session: what it redelivers when the session comes back. */
  async function redelivered(clientId: string): Promise<string[]> {
    const got: string[] = [];
    // listening before the connection: the broker resends right after CONNACK
    const c = mqtt.connect(brokerUrl(), { clientId, clean: false, reconnectPeriod: 0 });
    c.on('message', (_t, payload) => got.push(payload.toString()));
    await new Promise((r) => c.once('connect', r));
    await new Promise((r) => setTimeout(r, 500));
    await c.endAsync();
    return got.sort();
  }

  const publish = (device: string, metric: string, values: number[]) =>
    Promise.all(
      values.map((v) => publisher.publishAsync(`devices/${device}/${metric}`, String(v), { qos: 1 })),
    );

  it.each([
    ['maxUnacked messages', { maxUnacked: 3 }],
    ['maxUnackedBytes of payload', { maxUnackedBytes: 5 }], // 2-byte payloads: pauses at 6 bytes held
  ])(
    'stops reading from the broker while %s wait for their commit, then takes the rest',
    async (_what, limits) => {
      const t = setup(limits);
      let commit!: () => void;
      const committed = new Promise<void>((r) => (commit = r));
      t.server.addHandler(
        'devices/+/+',
        async (payload: Buffer) => {
          t.received.push(payload.toString());
          await committed;
        },
        true,
      );
      await t.listen();
      await waitFor(async () => t.server.unacked === 0, 5000, 'the subscription');
      await new Promise((r) => setTimeout(r, 200));

      await publish(t.device, 'temperature', [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
      await waitFor(async () => t.received.length >= 3, 5000, 'the first messages');
      await new Promise((r) => setTimeout(r, 300));
      expect(t.received).toEqual(['11', '12', '13']);
      expect(t.server.unacked).toBe(3);

      commit();
      await waitFor(async () => t.received.length === 10, 5000, 'the other messages');
      await waitFor(async () => t.server.unacked === 0, 5000, 'every acknowledgement');
      await t.stop();
      expect(await redelivered(t.clientId)).toEqual([]);
    },
  );

  it('acknowledges nothing it has not committed: a failed or unfinished handler leaves the message to the broker', async () => {
    const t = setup({ shutdownTimeoutMs: 300 });
    t.server.addHandler(
      'devices/+/temperature',
      async (payload: Buffer, ctx: MqttContext) => {
        const v = Number(payload.toString());
        t.received.push(`${ctx.getTopic()}=${v}`);
        if (v === 2) throw new Error('database unavailable');
        if (v === 3) await new Promise(() => undefined); // never commits
      },
      true,
    );
    await t.listen();
    await new Promise((r) => setTimeout(r, 300));
    await publish(t.device, 'temperature', [1, 2, 3]);
    await publish(t.device, 'humidity', [40]); // no handler for it
    await waitFor(async () => t.received.length === 3, 5000, 'the messages');

    await t.stop(); // waits 300 ms for the unfinished one, then leaves it to the broker
    expect(await redelivered(t.clientId)).toEqual(['2', '3', '40']);
  });

  it('routes each topic to the handler whose pattern matches it, with the raw payload (id/data keys are no envelope)', async () => {
    const t = setup();
    const got: string[] = [];
    t.server.addHandler(
      'devices/+/telemetry',
      async (p: Buffer) => void got.push(`telemetry:${p.toString()}`),
      true,
    );
    t.server.addHandler(
      'devices/+/temperature',
      async (p: Buffer) => void got.push(`temperature:${p.toString()}`),
      true,
    );
    await t.listen();
    await new Promise((r) => setTimeout(r, 300));
    await publish(t.device, 'temperature', [21]);
    await publisher.publishAsync(`devices/${t.device}/telemetry`, '{"id":1,"data":2}', { qos: 1 });
    await waitFor(async () => got.length === 2, 5000, 'both messages');
    expect(got.sort()).toEqual(['telemetry:{"id":1,"data":2}', 'temperature:21']);
  });

  it('calls a decorated handler directly and still acknowledges only what it finished: a throw, a rejection or an unfinished promise leaves the message to the broker', async () => {
    const t = setup({ shutdownTimeoutMs: 300 });
    const moduleRef = await Test.createTestingModule({ controllers: [DirectController] }).compile();
    const app = moduleRef.createNestMicroservice({ strategy: t.server, logger: false });
    await app.init();
    expect(t.server.callHandlersDirectly(app)).toBe(1);
    DirectController.seen = [];
    await app.listen();
    await new Promise((r) => setTimeout(r, 300));
    await publish(t.device, 'temperature', [1, 2, 3, 4, 5]);
    await waitFor(async () => DirectController.seen.length === 5, 5000, 'the messages');
    await waitFor(async () => t.server.unacked === 1, 5000, 'the acknowledgements'); // 3 never commits

    await t.stop();
    expect(await redelivered(t.clientId)).toEqual(['2', '3', '4']);
  });

  it('acknowledges a claimed message only when its batch settles it, all of the batch at once', async () => {
    const t = setup();
    const batch: number[] = [];
    let acks!: Acks;
    t.server.addHandler(
      'devices/+/+',
      async (payload: Buffer, ctx: IngestMqttContext) => {
        t.received.push(payload.toString());
        batch.push(ctx.claimAck()); // resolves at once: the handler's outcome no longer decides
        acks = ctx.acks;
      },
      true,
    );
    await t.listen();
    await new Promise((r) => setTimeout(r, 300));
    await publish(t.device, 'temperature', [1, 2, 3]);
    await waitFor(async () => t.received.length === 3, 5000, 'the messages');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.server.unacked).toBe(3);

    const [first, ...rest] = batch;
    // a batch that failed leaves its messages to the broker; the others are acknowledged together
    acks.settle([first], false);
    acks.settle(rest, true);
    await waitFor(async () => t.server.unacked === 0, 5000, 'the settlement');
    await t.stop();
    expect(await redelivered(t.clientId)).toEqual(['1']);
  });
});
