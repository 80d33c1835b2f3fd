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
  /** most payload bytes of unacknowledged messages before reading pauses (defaults to no byte bound) */
  maxUnackedBytes?: number;
  /** how long close() waits for in-flight messages to commit */
  shutdownTimeoutMs: number;
}

/** One received QoS 1 message until it is committed (or not) and its PUBACK is written (or dropped). */
interface Ticket {
  connection: number;
  /** payload bytes held for it */
  bytes: number;
  /** undefined while its batch is being written */
  committed?: boolean;
  /** the PUBACK MQTT.js wanted to send, held until the commit */
  puback?: () => void;
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
  /** topic → handler: routing is per topic, and topics repeat (devices × metrics) */
  private readonly routes = new Map<string, MessageHandler | null>();
  private connection = 0;
  private closing = false;
  private bytes = 0;

  constructor(private readonly ingestOptions: IngestMqttServerOptions) {
    super(ingestOptions as ConstructorParameters<typeof ServerMqtt>[0]);
  }

  /** messages received but not yet acknowledged */
  get unacked(): number {
    return this.tickets.size;
  }

  /** payload bytes of the messages received but not yet acknowledged */
  get unackedBytes(): number {
    return this.bytes;
  }

  createMqttClient(): MqttClient {
    const client = super.createMqttClient() as MqttClient;
    this.deferPubacks(client);
    client.on('close', () => {
      // PUBACKs are per connection: the broker redelivers what was not acknowledged on this one
      this.connection++;
      this.tickets.clear();
      this.bytes = 0;
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
    let handler = this.routes.get(topic);
    if (handler === undefined) {
      if (this.routes.size >= 100_000) this.routes.clear();
      this.routes.set(topic, (handler = this.findHandler(topic)));
    }
    return handler;
  }

  private findHandler(topic: string): MessageHandler | null {
    let best: MessageHandler | null = null;
    let bestScore = Infinity;
    for (const [pattern, handler] of this.messageHandlers) {
      if (!this.matchMqttPattern(this.removeHandlerKeySharedPrefix(pattern), topic)) continue;
      const score = pattern
        .split('/')
        .reduce((s, level) => s + (level === '#' ? 100 : level === '+' ? 1 : 0), 0);
      if (score < bestScore) [best, bestScore] = [handler, score];
    }
    return best;
  }

  async handleMessage(
    channel: string,
    buffer: Buffer,
    _pub: MqttClient,
    packet: Record<string, unknown>,
  ): Promise<void> {
    // runs synchronously up to the first await, i.e. before MQTT.js tries to send this message's PUBACK
    const id = packet.messageId as number;
    const ticket = packet.qos === 1 ? this.openTicket(id, buffer.length) : undefined;
    const settle = (ok: boolean) => ticket && this.settle(id, ticket, ok);
    if (this.closing) return settle(false);
    const handler = this.getHandlerByPattern(channel);
    if (!handler) {
      this.logger.error(`no handler for ${channel}: not acknowledged`);
      return settle(false);
    }
    try {
      const result = await handler(buffer, new MqttContext([channel, packet as never]));
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      settle(true);
    } catch (err) {
      this.logger.error(`${channel}: ${(err as Error).message}; not acknowledged, the broker will redeliver`);
      settle(false);
    }
  }

  /** Waits (bounded) until every received message is committed and acknowledged, then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    const deadline = Date.now() + this.ingestOptions.shutdownTimeoutMs;
    while (this.tickets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (this.tickets.size > 0)
      this.logger.warn(
        `${this.tickets.size} messages not committed in time: left to the broker to redeliver`,
      );
    const client = this.mqttClient as MqttClient | undefined;
    if (client) await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }

  private openTicket(messageId: number, bytes: number): Ticket {
    const ticket: Ticket = { connection: this.connection, bytes };
    this.tickets.set(messageId, ticket);
    this.bytes += bytes;
    return ticket;
  }

  private settle(messageId: number, ticket: Ticket, ok: boolean): void {
    ticket.committed = ok;
    if (!ticket.puback) return; // MQTT.js has not asked to acknowledge yet; deferPubacks will see `committed`
    if (ok && ticket.connection === this.connection) ticket.puback();
    this.release(messageId, ticket);
  }

  private release(messageId: number, ticket: Ticket): void {
    if (this.tickets.get(messageId) === ticket) {
      this.tickets.delete(messageId);
      this.bytes -= ticket.bytes;
    }
    this.resume();
  }

  /** room for one more unacknowledged message, by count and by bytes */
  private hasRoom(): boolean {
    return (
      this.tickets.size < this.ingestOptions.maxUnacked &&
      this.bytes < (this.ingestOptions.maxUnackedBytes ?? Infinity)
    );
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
      if (ticket.committed !== undefined) {
        if (ticket.committed) send(packet, undefined, ...rest);
        this.release(id!, ticket);
      } else {
        ticket.puback = () => send(packet, undefined, ...rest);
      }
      // back-pressure: stop reading from the broker while too many messages wait for their commit
      if (this.hasRoom()) cb?.();
      else this.paused.push(() => cb?.());
    };
  }

  private resume(): void {
    while (this.paused.length && this.hasRoom()) this.paused.shift()!();
  }
}

export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
