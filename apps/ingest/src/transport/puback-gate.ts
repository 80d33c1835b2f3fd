/** Settles received QoS 1 messages by ticket: a whole batch at once, after its commit. */
export interface Acks {
  /** `ok`: committed, acknowledge it; otherwise leave it to the broker to redeliver. Unknown or stale tickets are ignored. */
  settle(tickets: readonly number[], ok: boolean): void;
}

/** A QoS 0 message has nothing to acknowledge. */
export const NO_TICKET = -1;

// per packet id: where its message is between PUBLISH received and PUBACK written (or dropped)
const FREE = 0;
/** received, not yet committed, MQTT.js has not asked to acknowledge it yet */
const OPEN = 1;
/** MQTT.js asked to acknowledge it; the PUBACK waits for the commit */
const ASKED = 2;
/** committed before MQTT.js asked: acknowledge as soon as it asks */
const EARLY_OK = 3;
/** failed before MQTT.js asked: never acknowledge */
const EARLY_FAIL = 4;
/** the handler took the ticket: only `settle()` decides, the handler's own outcome does not */
const CLAIMED = 8;

const IDS = 0x10000;

/**
 * The PUBACK gate of the ingest transport: which QoS 1 messages of the current connection wait for their commit,
 * their PUBACK held until then, and whether reading from the broker may go on (back-pressure by count and bytes).
 *
 * Allocation-free per message: the state lives in typed arrays indexed by the 16-bit packet id, which the broker
 * cannot reuse on a connection before we acknowledge it. A ticket packs connection, a per-id generation and the
 * id into one number, so a late settlement of a message from an earlier connection, or of an id since reused, is a
 * no-op — PUBACKs are per connection, and the broker redelivers what one left unacknowledged.
 */
export class PubackGate implements Acks {
  private readonly state = new Uint8Array(IDS);
  private readonly generation = new Uint16Array(IDS);
  private readonly size = new Float64Array(IDS);
  private connection = 0;
  private count = 0;
  private bytes = 0;
  private readonly paused: Array<() => void> = [];

  constructor(
    private readonly limits: { maxUnacked: number; maxUnackedBytes?: number },
    /** writes the PUBACK for `messageId` on the current connection */
    private readonly sendPuback: (messageId: number) => void,
    /** around the PUBACKs of one settlement (e.g. to gather them into one write) */
    private readonly writes?: { start(): void; end(): void },
  ) {}

  /** messages received but not yet acknowledged */
  get unacked(): number {
    return this.count;
  }

  /** payload bytes of the messages received but not yet acknowledged */
  get unackedBytes(): number {
    return this.bytes;
  }

  /** A QoS 1 PUBLISH arrived: hold it until it is settled. */
  open(messageId: number, bytes: number): number {
    if (this.state[messageId] === FREE) {
      this.count++;
    } else {
      this.bytes -= this.size[messageId]; // a resend of an id still held: one message, the newer copy
    }
    this.state[messageId] = OPEN;
    this.size[messageId] = bytes;
    this.bytes += bytes;
    const gen = (this.generation[messageId] = (this.generation[messageId] + 1) & 0xffff);
    return ((this.connection & 0xfffff) * IDS + gen) * IDS + messageId;
  }

  /** The handler owns the acknowledgement of `ticket` from now on (see settle). */
  claim(ticket: number): void {
    const id = this.current(ticket);
    if (id >= 0) this.state[id] |= CLAIMED;
  }

  /** The handler finished: settles the ticket unless the handler claimed it. */
  handled(ticket: number, ok: boolean): void {
    const id = this.current(ticket);
    if (id >= 0 && !(this.state[id] & CLAIMED)) this.settleId(id, ok);
  }

  settle(tickets: readonly number[], ok: boolean): void {
    this.writes?.start();
    try {
      for (const ticket of tickets) {
        const id = this.current(ticket);
        if (id >= 0) this.settleId(id, ok);
      }
    } finally {
      this.writes?.end();
    }
    this.resume();
  }

  /**
   * MQTT.js wants to write the PUBACK of `messageId` and then read the next packet (`next`). Returns false when the
   * id is not one this gate holds (the caller sends the packet as usual).
   */
  asked(messageId: number, next: (() => void) | undefined): boolean {
    const state = this.state[messageId] & ~CLAIMED;
    if (state === FREE) return false;
    if (state === OPEN) this.state[messageId] = ASKED | (this.state[messageId] & CLAIMED);
    else {
      if (state === EARLY_OK) this.sendPuback(messageId);
      this.release(messageId);
    }
    // back-pressure: stop reading from the broker while too many messages wait for their commit
    if (!next) return true;
    if (this.hasRoom()) next();
    else this.paused.push(next);
    return true;
  }

  /** The connection closed: what it left unacknowledged is the broker's to redeliver on the next one. */
  reset(): void {
    this.connection++;
    this.state.fill(FREE);
    this.count = 0;
    this.bytes = 0;
    this.resume();
  }

  private settleId(id: number, ok: boolean): void {
    const state = this.state[id] & ~CLAIMED;
    if (state === ASKED) {
      if (ok) this.sendPuback(id);
      this.release(id);
    } else if (state === OPEN) {
      this.state[id] = ok ? EARLY_OK : EARLY_FAIL;
    }
  }

  /** the packet id of a ticket of this connection whose id was not reused since, else -1 */
  private current(ticket: number): number {
    if (ticket < 0) return -1;
    const id = ticket % IDS;
    const rest = (ticket - id) / IDS;
    const gen = rest % IDS;
    const connection = (rest - gen) / IDS;
    if (connection !== (this.connection & 0xfffff) || this.generation[id] !== gen) return -1;
    return this.state[id] === FREE ? -1 : id;
  }

  private release(id: number): void {
    this.state[id] = FREE;
    this.count--;
    this.bytes -= this.size[id];
    this.size[id] = 0;
    this.resume();
  }

  /** room for one more unacknowledged message, by count and by bytes */
  private hasRoom(): boolean {
    return this.count < this.limits.maxUnacked && this.bytes < (this.limits.maxUnackedBytes ?? Infinity);
  }

  private resume(): void {
    while (this.paused.length && this.hasRoom()) this.paused.shift()!();
  }
}
