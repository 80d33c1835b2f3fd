import { NO_TICKET, PubackGate } from './puback-gate';

// The gate alone, as MQTT.js drives it: open (PUBLISH received) → asked (MQTT.js wants to send the PUBACK and read
// on) → settle (the batch committed or failed), in either order. What the broker sees is which PUBACKs are written.
describe(PubackGate.name, () => {
  function gate(limits: { maxUnacked?: number; maxUnackedBytes?: number } = {}) {
    const sent: number[] = [];
    const g = new PubackGate(
      { maxUnacked: limits.maxUnacked ?? 100, maxUnackedBytes: limits.maxUnackedBytes },
      (id) => sent.push(id),
    );
    return { g, sent };
  }
  const next = () => undefined;

  it('holds the PUBACK until the commit when the settlement comes after the ack request', () => {
    const { g, sent } = gate();
    const t = g.open(7, 10);
    g.asked(7, next);
    expect(sent).toEqual([]);
    expect([g.unacked, g.unackedBytes]).toEqual([1, 10]);
    g.settle([t], true);
    expect(sent).toEqual([7]);
    expect([g.unacked, g.unackedBytes]).toEqual([0, 0]);
  });

  it('sends the PUBACK at the ack request when the commit came first', () => {
    const { g, sent } = gate();
    const t = g.open(7, 10);
    g.settle([t], true);
    expect(sent).toEqual([]);
    g.asked(7, next);
    expect(sent).toEqual([7]);
    expect(g.unacked).toBe(0);
  });

  it('never acknowledges a failed message, whichever came first', () => {
    const { g, sent } = gate();
    const a = g.open(1, 1);
    g.asked(1, next);
    g.settle([a], false);
    const b = g.open(2, 1);
    g.settle([b], false);
    g.asked(2, next);
    expect(sent).toEqual([]);
    expect(g.unacked).toBe(0);
  });

  it('ignores a settlement from an earlier connection, and of an id reused since', () => {
    const { g, sent } = gate();
    const old = g.open(5, 1);
    g.asked(5, next);
    g.reset(); // connection closed: the broker redelivers 5 on the next one
    const now = g.open(5, 1);
    g.asked(5, next);
    g.settle([old], true);
    expect(sent).toEqual([]);
    g.settle([now], true);
    expect(sent).toEqual([5]);
    const reused = g.open(5, 1); // same id, acknowledged, then given to a new message
    g.settle([now], true);
    g.asked(5, next);
    expect(sent).toEqual([5]);
    g.settle([reused], true);
    expect(sent).toEqual([5, 5]);
  });

  it('lets the handler outcome settle only what the handler did not claim', () => {
    const { g, sent } = gate();
    const claimed = g.open(1, 1);
    const plain = g.open(2, 1);
    g.claim(claimed);
    g.asked(1, next);
    g.asked(2, next);
    g.handled(claimed, true);
    g.handled(plain, true);
    expect(sent).toEqual([2]);
    g.settle([claimed], true);
    expect(sent).toEqual([2, 1]);
    g.handled(NO_TICKET, true); // QoS 0: nothing to do
    expect(g.unacked).toBe(0);
  });

  it.each([
    ['count', { maxUnacked: 2 }, [1, 1]],
    ['bytes', { maxUnackedBytes: 5 }, [3, 3]],
  ])(
    "stops reading (holds MQTT.js's next) at the %s bound and resumes when a batch settles",
    (_what, limits, sizes) => {
      const { g } = gate(limits);
      let reads = 0;
      const tickets = sizes.map((size, i) => {
        const t = g.open(i + 1, size);
        g.asked(i + 1, () => reads++);
        return t;
      });
      // the read after the message that reached the bound waits
      expect(reads).toBe(sizes.length - 1);
      g.settle(tickets.slice(0, 2), true);
      expect(reads).toBe(sizes.length);
    },
  );

  it("resumes reading when the connection closes (what was held is the broker's again)", () => {
    const { g } = gate({ maxUnacked: 1 });
    let reads = 0;
    g.open(1, 1);
    g.asked(1, () => reads++);
    expect(reads).toBe(0);
    g.reset();
    expect(reads).toBe(1);
    expect(g.unacked).toBe(0);
  });
});
