import { Logger } from '@nestjs/common';
import { MessageHandler, MqttContext, ServerMqtt } from '@nestjs/microservices';
import type { IClientOptions, MqttClient, Packet } from 'mqtt';
import { isObservable, lastValueFrom } from 'rxjs';

export interface IngestMqttServerOptions extends IClientOptions {
  url: string;
  /** the one subscription (QoS 1), e.g. devices/# or $share/group/devices/# */
  subscription: string;
  /** most unacknowledged messages in flight before reading from the broker pauses */
  maxUnacked: number;
  /** how long close() waits for in-flight messages to commit */
  shutdownTimeoutMs: number;
}

interface Ticket {
  connection: number;
  committed: Promise<void>;
  settle: (ok: boolean) => void;
}

/**
 * Nest's MQTT server, changed in three ways for ingest:
 * 1. a QoS 1 message is acknowledged (PUBACK) only once its handler's promise resolves — i.e. after the batch
 *    holding it is committed — while the next messages keep flowing (see deferPubacks);
 * 2. handlers get the raw payload Buffer: sensor payloads are not Nest envelopes (`id`/`data` keys mean nothing);
 * 3. one subscription for all handlers, and the most specific handler pattern wins.
 */
export class IngestMqttServer extends ServerMqtt {
  protected readonly logger = new Logger(IngestMqttServer.name);
  private readonly tickets = new Map<number, Ticket>();
  private readonly paused: Array<() => void> = [];
  private connection = 0;
  private closing = false;

  constructor(private readonly ingestOptions: IngestMqttServerOptions) {
    super(ingestOptions as ConstructorParameters<typeof ServerMqtt>[0]);
  }

  /** messages received but not yet acknowledged */
  get unacked(): number {
    return this.tickets.size;
  }

  createMqttClient(): MqttClient {
    const client = super.createMqttClient() as MqttClient;
    this.deferPubacks(client);
    client.on('close', () => {
      // PUBACKs are per connection: the broker redelivers what was not acknowledged on this one
      this.connection++;
      this.tickets.clear();
      this.resume();
    });
    client.on('connect', () => this.logger.log(`connected to ${redact(this.ingestOptions.url)}`));
    return client;
  }

  bindEvents(client: MqttClient): void {
    client.on('message', this.getMessageHandler(client).bind(this));
    client.subscribe(this.ingestOptions.subscription, { qos: 1 }, (err) => {
      if (err) this.logger.error(`subscribe to ${this.ingestOptions.subscription} failed: ${err.message}`);
      else this.logger.log(`subscribed to ${this.ingestOptions.subscription}`);
    });
  }

  getHandlerByPattern(topic: string): MessageHandler | null {
    let best: MessageHandler | null = null;
    let bestScore = Infinity;
    for (const [pattern, handler] of this.messageHandlers) {
      if (!this.matchMqttPattern(this.removeHandlerKeySharedPrefix(pattern), topic)) continue;
      const score = pattern.split('/').reduce((s, level) => s + (level === '#' ? 100 : level === '+' ? 1 : 0), 0);
      if (score < bestScore) [best, bestScore] = [handler, score];
    }
    return best;
  }

  async handleMessage(channel: string, buffer: Buffer, _pub: MqttClient, packet: Record<string, unknown>): Promise<void> {
    // runs synchronously up to the first await, i.e. before MQTT.js tries to send this message's PUBACK
    const ticket = packet.qos === 1 ? this.openTicket(packet.messageId as number) : undefined;
    if (this.closing) return ticket?.settle(false);
    const handler = this.getHandlerByPattern(channel);
    if (!handler) {
      this.logger.error(`no handler for ${channel}: not acknowledged`);
      return ticket?.settle(false);
    }
    try {
      const result = await handler(buffer, new MqttContext([channel, packet as never]));
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      ticket?.settle(true);
    } catch (err) {
      this.logger.error(`${channel}: ${(err as Error).message}; not acknowledged, the broker will redeliver`);
      ticket?.settle(false);
    }
  }

  /** Waits (bounded) until every received message is committed and acknowledged, then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + this.ingestOptions.shutdownTimeoutMs;
    while (this.tickets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (this.tickets.size > 0) this.logger.warn(`${this.tickets.size} messages not committed in time: left to the broker to redeliver`);
    const client = this.mqttClient as MqttClient | undefined;
    if (client) await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }

  private openTicket(messageId: number): Ticket {
    let settle!: (ok: boolean) => void;
    const committed = new Promise<void>((resolve, reject) => {
      settle = (ok) => (ok ? resolve() : reject(new Error('not committed')));
    });
    const ticket: Ticket = { connection: this.connection, committed, settle };
    this.tickets.set(messageId, ticket);
    return ticket;
  }

  /**
   * MQTT.js handles incoming packets one at a time: for QoS 1 it sends the PUBACK and only then takes the next
   * packet (handlers/publish.js → client._sendPacket(puback, done)). We let `done` run at once, so the stream keeps
   * flowing, and write the PUBACK itself when the message's ticket settles as committed — on the same connection
   * only, since packet ids are reused on a new one. `_sendPacket` is MQTT.js-internal: the version is pinned and
   * the SIGKILL test fails if this stops deferring.
   */
  private deferPubacks(client: MqttClient): void {
    type Send = (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
    const internal = client as unknown as { _sendPacket: Send };
    const send = internal._sendPacket.bind(client) as Send;
    internal._sendPacket = (packet, cb, ...rest) => {
      const id = (packet as { messageId?: number }).messageId;
      const ticket = packet.cmd === 'puback' && id !== undefined ? this.tickets.get(id) : undefined;
      if (!ticket) return send(packet, cb, ...rest);
      ticket.committed
        .then(
          () => ticket.connection === this.connection && send(packet, undefined, ...rest),
          () => undefined,
        )
        .finally(() => {
          if (this.tickets.get(id!) === ticket) this.tickets.delete(id!);
          this.resume();
        });
      // back-pressure: stop reading from the broker while too many messages wait for their commit
      if (this.tickets.size < this.ingestOptions.maxUnacked) cb?.();
      else this.paused.push(() => cb?.());
    };
  }

  private resume(): void {
    while (this.paused.length && this.tickets.size < this.ingestOptions.maxUnacked) this.paused.shift()!();
  }
}

export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
