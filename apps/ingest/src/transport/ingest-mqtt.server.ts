import { INestApplicationContext, Logger } from '@nestjs/common';
import { MessageHandler, MqttContext, ServerMqtt } from '@nestjs/microservices';
import type { IClientOptions, MqttClient, Packet } from 'mqtt';
import { isObservable, lastValueFrom } from 'rxjs';

import { DirectHandler, directEventHandlers } from './direct-handlers';
import { Acks, NO_TICKET, PubackGate } from './puback-gate';

export interface IngestMqttServerOptions extends IClientOptions {
  url: string;
  /** the one subscription (QoS 1), e.g. devices/# or $share/group/devices/# */
  subscription: string;
  /** most unacknowledged messages in flight before reading from the broker pauses */
  maxUnacked: number;
  /** most payload bytes of unacknowledged messages before reading pauses (defaults to no byte bound) */
  maxUnackedBytes?: number;
  /** how long close() waits for in-flight messages to commit */
  shutdownTimeoutMs: number;
}

/**
 * The context of one message: Nest's MqttContext plus its acknowledgement ticket. A handler that settles messages
 * itself — a whole batch at once, after its commit — calls `claimAck()` and later `acks.settle([ticket], ok)`;
 * otherwise the message is settled by the handler's own outcome (resolved: acknowledged; thrown: left to the broker).
 */
export class IngestMqttContext extends MqttContext {
  constructor(
    args: [string, Record<string, unknown>],
    private readonly ticket: number,
    private readonly gate: PubackGate,
  ) {
    super(args as ConstructorParameters<typeof MqttContext>[0]);
  }

  /** Takes over this message's acknowledgement; returns its ticket (NO_TICKET for QoS 0) for `acks.settle`. */
  claimAck(): number {
    this.gate.claim(this.ticket);
    return this.ticket;
  }

  get acks(): Acks {
    return this.gate;
  }
}

/**
 * Nest's MQTT server, changed in three ways for ingest:
 * 1. a QoS 1 message is acknowledged (PUBACK) only once it is settled as committed — by its handler's promise, or
 *    by the handler's batch through `IngestMqttContext.claimAck()` — while the next messages keep flowing (see
 *    deferPubacks and PubackGate);
 * 2. handlers get the raw payload Buffer: sensor payloads are not Nest envelopes (`id`/`data` keys mean nothing);
 * 3. one subscription for all handlers; a topic goes to the first handler whose pattern matches it;
 * 4. with `callHandlersDirectly(app)`, a decorated handler that Nest's RPC context layer would call without any effect
 *    of its own (no pipes, guards, interceptors or filters: see direct-handlers.ts) is called directly, without that
 *    layer's promises and closures per message.
 */
export class IngestMqttServer extends ServerMqtt {
  protected readonly logger = new Logger(IngestMqttServer.name);
  private gate!: PubackGate;
  private closing = false;
  /** topic → handler: topics repeat (devices × metrics), matching splits strings */
  private readonly routes = new Map<string, MessageHandler | null>();
  /** Nest's handler → the decorated method it calls, for handlers that may be called directly */
  private readonly direct = new Map<MessageHandler, DirectHandler>();

  constructor(private readonly ingestOptions: IngestMqttServerOptions) {
    // MQTT.js logs every packet through `debug` (a call per packet even when disabled): not on the hot path
    super({ log: () => undefined, ...ingestOptions } as ConstructorParameters<typeof ServerMqtt>[0]);
  }

  /** messages received but not yet acknowledged */
  /** connected to the broker now (for /metrics) */
  get connected(): boolean {
    return (this.mqttClient as MqttClient | undefined)?.connected ?? false;
  }

  get unacked(): number {
    return this.gate?.unacked ?? 0;
  }

  /** payload bytes of the messages received but not yet acknowledged */
  get unackedBytes(): number {
    return this.gate?.unackedBytes ?? 0;
  }

  createMqttClient(): MqttClient {
    const client = super.createMqttClient() as MqttClient;
    this.deferPubacks(client);
    // PUBACKs are per connection: the broker redelivers what was not acknowledged on this one
    client.on('close', () => this.gate.reset());
    client.on('connect', () => this.logger.log(`connected to ${redact(this.ingestOptions.url)}`));
    return client;
  }

  /**
   * Calls the handlers of `app` that qualify (see directEventHandlers) directly instead of through Nest's RPC context
   * layer; the others keep going through it. Call after `app.init()` (handlers registered), before messages flow.
   * Returns how many handlers are called directly.
   */
  callHandlersDirectly(app: INestApplicationContext): number {
    this.direct.clear();
    for (const { pattern, call } of directEventHandlers(app, this.transportId)) {
      const handler = this.messageHandlers.get(this.normalizePattern(pattern as string));
      // several handlers of one pattern: Nest runs them all (handler.next); leave that to Nest
      if (handler && !handler.next) this.direct.set(handler, call);
    }
    return this.direct.size;
  }

  bindEvents(client: MqttClient): void {
    client.on('message', (topic: string, payload: Buffer, packet: Packet) => {
      void this.handleMessage(topic, payload, client, packet as unknown as Record<string, unknown>);
    });
    client.subscribe(this.ingestOptions.subscription, { qos: 1 }, (err) => {
      if (err) this.logger.error(`subscribe to ${this.ingestOptions.subscription} failed: ${err.message}`);
      else this.logger.log(`subscribed to ${this.ingestOptions.subscription}`);
    });
  }

  getHandlerByPattern(topic: string): MessageHandler | null {
    let handler = this.routes.get(topic);
    if (handler === undefined) {
      if (this.routes.size >= 100_000) this.routes.clear();
      handler = null;
      for (const [pattern, h] of this.messageHandlers)
        if (this.matchMqttPattern(this.removeHandlerKeySharedPrefix(pattern), topic)) {
          handler = h;
          break;
        }
      this.routes.set(topic, handler);
    }
    return handler;
  }

  handleMessage(
    channel: string,
    buffer: Buffer,
    _pub: MqttClient,
    packet: Record<string, unknown>,
  ): Promise<void> {
    // runs synchronously up to the handler call, i.e. before MQTT.js asks to send this message's PUBACK
    const ticket = packet.qos === 1 ? this.gate.open(packet.messageId as number, buffer.length) : NO_TICKET;
    if (this.closing) return Promise.resolve(this.gate.handled(ticket, false));
    const handler = this.getHandlerByPattern(channel);
    if (!handler) {
      this.logger.error({ msg: 'no handler for the topic: not acknowledged', topic: channel });
      return Promise.resolve(this.gate.handled(ticket, false));
    }
    const ctx = new IngestMqttContext([channel, packet], ticket, this.gate);
    const direct = this.direct.get(handler);
    let result: unknown;
    try {
      result = direct ? direct(buffer, ctx) : handler(buffer, ctx);
    } catch (err) {
      return Promise.resolve(this.failed(channel, ticket, err));
    }
    if (direct && !isObservable(result) && !isPromiseLike(result)) {
      // returned without a promise (the usual case): done, nothing to wait for
      this.gate.handled(ticket, true);
      return DONE;
    }
    return Promise.resolve(result)
      .then((r) => (isObservable(r) ? lastValueFrom(r, { defaultValue: undefined }) : r))
      .then(
        () => this.gate.handled(ticket, true),
        (err: unknown) => this.failed(channel, ticket, err),
      );
  }

  /** The handler failed: the message is not acknowledged, the broker redelivers it. */
  private failed(channel: string, ticket: number, err: unknown): void {
    this.logger.error({
      msg: `${(err as Error)?.message ?? String(err)}; not acknowledged, the broker will redeliver`,
      topic: channel,
    });
    this.gate.handled(ticket, false);
  }

  /** Waits (bounded) until every received message is committed and acknowledged, then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + this.ingestOptions.shutdownTimeoutMs;
    while (this.unacked > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (this.unacked > 0)
      this.logger.warn(`${this.unacked} messages not committed in time: left to the broker to redeliver`);
    const client = this.mqttClient as MqttClient | undefined;
    if (client) await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }

  /**
   * MQTT.js handles incoming packets one at a time: for QoS 1 it sends the PUBACK and only then takes the next
   * packet (handlers/publish.js → client._sendPacket(puback, done)). We let `done` run at once, so the stream keeps
   * flowing, and write the PUBACK itself when the message settles as committed — on the same connection only, since
   * packet ids are reused on a new one (PubackGate). `_sendPacket` is MQTT.js-internal: the version is pinned and
   * the SIGKILL test fails if this stops deferring.
   */
  private deferPubacks(client: MqttClient): void {
    type Send = (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
    const internal = client as unknown as { _sendPacket: Send };
    const send = internal._sendPacket.bind(client) as Send;
    // a settlement's PUBACKs leave as one buffer in one write: through MQTT.js each would be three small writes
    // (header, length, id) and the socket's writev of 600k pieces per 200k messages cost more than the parsing
    const pending: number[] = [];
    let settling = false;
    const flush = () => {
      const n = pending.length;
      if (!n) return;
      const stream = client.stream;
      if (client.connected && stream && !stream.destroyed) {
        const buf = Buffer.allocUnsafe(4 * n);
        for (let i = 0, o = 0; i < n; i++, o += 4) {
          buf[o] = 0x40; // PUBACK
          buf[o + 1] = 2; // remaining length: the packet id
          buf.writeUInt16BE(pending[i], o + 2);
        }
        stream.write(buf);
      }
      pending.length = 0;
    };
    this.gate = new PubackGate(
      this.ingestOptions,
      (messageId) => {
        pending.push(messageId);
        if (!settling) flush();
      },
      {
        start: () => (settling = true),
        end: () => {
          settling = false;
          flush();
        },
      },
    );
    internal._sendPacket = (packet, cb, ...rest) => {
      const id = (packet as { messageId?: number }).messageId;
      if (packet.cmd !== 'puback' || id === undefined || !this.gate.asked(id, cb as (() => void) | undefined))
        send(packet, cb, ...rest);
    };
  }
}

const DONE = Promise.resolve();

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as PromiseLike<unknown> | undefined)?.then === 'function';

export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
