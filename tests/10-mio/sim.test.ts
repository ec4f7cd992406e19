/**
 * Hidden suite of chapter 10, tasks 4 and 5: the simulated network (listeners, connections with bounded buffers,
 * close, half close, reset, refusal, backlog) and its delays on an injected clock.
 */
import { describe, expect, it } from "vitest";
import { Events, Interest, IoError, Poll, SimNetwork, Token, WouldBlock, type TcpStream } from "#kata/10-mio";
import { bytes, connectedPair, isRegistered, readText, ready, seen, settle, thrown } from "../_support/10-mio.ts";

const R = Interest.READABLE;
const W = Interest.WRITABLE;
/** READABLE | WRITABLE, computed when a test runs (so that a broken `add` fails tests, not the file). */
const rw = () => R.add(W);

const kindOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof IoError ? `${e.kind} ${e.code}` : `not an IoError: ${String(e)}`;
  }
  return "no error";
};

/** Writes `data` until the stream refuses more; the number of bytes accepted per call. */
function writeUntilBlocked(s: TcpStream, data: Uint8Array): number[] {
  const sizes: number[] = [];
  let off = 0;
  while (off < data.length) {
    const n = s.write(data.subarray(off));
    if (n === WouldBlock) break;
    sizes.push(n);
    off += n;
  }
  return sizes;
}

describe("Task 4: Simulated connections", () => {
  it("bind gives ephemeral ports from 49152 for port 0, and refuses an address in use", () => {
    const net = new SimNetwork();
    const a = net.bind("127.0.0.1:0");
    const b = net.bind("127.0.0.1:0");
    expect([a.localAddr().toString(), b.localAddr().toString()]).toEqual(["127.0.0.1:49152", "127.0.0.1:49153"]);
    net.bind("127.0.0.1:8080");
    let error: unknown;
    try {
      net.bind("127.0.0.1:8080");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IoError);
    expect(error).toMatchObject({ kind: "AddrInUse", code: "EADDRINUSE", message: "Address already in use (os error 98)" });
    a.close();
    expect(net.bind("127.0.0.1:49152").localAddr().port, "a closed listener frees its address").toBe(49152);
  });

  it("a connection is queued on the listener, which turns readable; accept returns it with the peer's address", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const listener = net.bind("10.0.0.1:80");
    poll.registry().register(listener, Token(1), R);
    expect(listener.accept()).toBe(WouldBlock);
    expect(ready(poll, events)).toEqual([]);
    const client = net.connect("10.0.0.1:80");
    expect(ready(poll, events).map((e) => [e.token, e.readable])).toEqual([[1, true]]);
    const accepted = listener.accept();
    expect(accepted).not.toBe(WouldBlock);
    const [server, peer] = accepted as [TcpStream, unknown];
    expect(String(peer)).toBe(client.localAddr().toString());
    expect(server.peerAddr().toString()).toBe(client.localAddr().toString());
    expect(server.localAddr().toString()).toBe("10.0.0.1:80");
    expect(client.peerAddr().toString()).toBe("10.0.0.1:80");
    expect(listener.accept()).toBe(WouldBlock);
  });

  it("a connected stream reports writable once registered, with no error to take", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client } = connectedPair(net);
    poll.registry().register(client, Token(2), rw());
    expect(ready(poll, events)).toEqual([{ token: 2, readable: false, writable: true, readClosed: false, writeClosed: false, error: false }]);
    expect(client.takeError()).toBeUndefined();
  });

  it("connecting where nobody listens: writable with an error, takeError() says refused, once; then writes fail", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const client = net.connect("10.0.0.9:81");
    poll.registry().register(client, Token(3), W);
    expect(ready(poll, events)).toEqual([{ token: 3, readable: false, writable: true, readClosed: true, writeClosed: true, error: true }]);
    const e = client.takeError();
    expect(e).toMatchObject({ kind: "ConnectionRefused", code: "ECONNREFUSED", message: "Connection refused (os error 111)" });
    expect(client.takeError(), "SO_ERROR is cleared by reading it").toBeUndefined();
    expect(kindOf(() => client.write(bytes("x")))).toBe("BrokenPipe EPIPE");
    expect(client.read(new Uint8Array(4))).toBe(0);
  });

  it("a bounded buffer makes writes partial; a read frees room, and the writer gets a writable edge", () => {
    const net = new SimNetwork({ bufferSize: 8 });
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(client, Token(1), W);
    poll.registry().register(server, Token(2), R);
    ready(poll, events);
    const data = bytes("abcdefghijklmnopqrst");
    expect(writeUntilBlocked(client, data), "8 bytes fit, then WouldBlock").toEqual([8]);
    expect(ready(poll, events).map((e) => e.token), "only the reader is ready").toEqual([2]);
    expect(readText(server, 5)).toBe("abcde");
    expect(ready(poll, events).map((e) => [e.token, e.writable]), "room again: the writer's edge").toEqual([[1, true]]);
    expect(writeUntilBlocked(client, data.subarray(8)), "exactly the freed room").toEqual([5]);
    expect(readText(server, 64), "a short read drains what is there").toBe("fghijklm");
    expect(readText(server, 64)).toBe(WouldBlock);
  });

  it("edge-triggered: a reader that stops before WouldBlock hears nothing more until it drains", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(server, Token(5), R);
    client.write(bytes("0123456789"));
    expect(ready(poll, events).map((e) => e.token)).toEqual([5]);
    expect(readText(server, 4)).toBe("0123");
    client.write(bytes("more"));
    expect(ready(poll, events), "still readable before the write: no edge, no event").toEqual([]);
    expect(readText(server, 64)).toBe("456789more");
    expect(readText(server, 64)).toBe(WouldBlock);
    client.write(bytes("!"));
    expect(ready(poll, events).map((e) => e.token), "drained, then data: an edge").toEqual([5]);
  });

  it("a graceful close: the peer reads what was sent, then the end of the stream, announced as read closed", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(server, Token(1), R);
    client.write(bytes("bye"));
    client.close();
    const got = ready(poll, events);
    expect(got).toEqual([{ token: 1, readable: true, writable: false, readClosed: true, writeClosed: false, error: false }]);
    expect(readText(server)).toBe("bye");
    expect(server.read(new Uint8Array(8)), "then the end of the stream, again and again").toBe(0);
    expect(server.read(new Uint8Array(8))).toBe(0);
    expect(isRegistered(client), "a closed socket leaves the selector").toBe(false);
  });

  it("shutdown(write) half-closes: the peer reads the end of the stream and can still answer", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(client, Token(1), rw());
    poll.registry().register(server, Token(2), rw());
    ready(poll, events);
    client.write(bytes("request"));
    client.shutdown("write");
    expect(kindOf(() => client.write(bytes("late")))).toBe("BrokenPipe EPIPE");
    expect(readText(server)).toBe("request");
    expect(server.read(new Uint8Array(4))).toBe(0);
    expect(server.write(bytes("response"))).toBe(8);
    server.shutdown("both");
    const got = seen((void poll.poll(events, 0), events));
    expect(got.find((e) => e.token === 1), "data and the end of the stream for the client, both halves closed now").toMatchObject({
      readable: true,
      readClosed: true,
      writeClosed: true,
    });
    expect(readText(client)).toBe("response");
    expect(client.read(new Uint8Array(4))).toBe(0);
    const fresh = new SimNetwork().connect("1.2.3.4:5");
    expect(kindOf(() => fresh.shutdown("write")), "not connected").toBe("NotConnected ENOTCONN");
  });

  it("closing with unread data resets the peer: ConnectionReset once, then the end of the stream and broken pipes", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(client, Token(1), R);
    client.write(bytes("unread"));
    server.write(bytes("hello"));
    expect(ready(poll, events).map((e) => e.token)).toEqual([1]);
    server.close();
    expect(ready(poll, events)).toEqual([{ token: 1, readable: true, writable: false, readClosed: true, writeClosed: true, error: true }]);
    expect(kindOf(() => client.read(new Uint8Array(8))), "the data in flight is lost with the reset").toBe("ConnectionReset ECONNRESET");
    expect(client.read(new Uint8Array(8))).toBe(0);
    expect(kindOf(() => client.write(bytes("x")))).toBe("BrokenPipe EPIPE");
  });

  it("zero linger resets even with nothing unread; writing to a closed peer draws a reset", () => {
    const net = new SimNetwork();
    const a = connectedPair(net, "10.0.0.1:1");
    a.server.setZeroLinger();
    a.server.close();
    expect(a.client.takeError()).toMatchObject({ kind: "ConnectionReset" });
    const b = connectedPair(net, "10.0.0.1:2");
    b.server.close();
    expect(b.client.read(new Uint8Array(4)), "a graceful close: the end of the stream").toBe(0);
    expect(b.client.write(bytes("anyone?")), "the write itself is accepted").toBe(7);
    expect(kindOf(() => b.client.write(bytes("?"))), "the closed side answered with a reset").toBe("ConnectionReset ECONNRESET");
  });

  it("a full backlog refuses connections; closing a listener resets those it had not accepted", () => {
    const net = new SimNetwork({ backlog: 1 });
    const listener = net.bind("10.0.0.1:80");
    const first = net.connect("10.0.0.1:80");
    const second = net.connect("10.0.0.1:80");
    expect(first.takeError()).toBeUndefined();
    expect(second.takeError()).toMatchObject({ kind: "ConnectionRefused" });
    listener.close();
    expect(first.takeError(), "queued, never accepted, then the listener went away").toMatchObject({ kind: "ConnectionReset" });
    expect(net.connect("10.0.0.1:80").takeError()).toMatchObject({ kind: "ConnectionRefused" });
  });

  it("a buffer-size range is drawn per connection from the seed, deterministically", () => {
    const capacities = (seed: number) => {
      const net = new SimNetwork({ bufferSize: [3, 40], seed });
      return Array.from({ length: 12 }, (_, i) => {
        const { client } = connectedPair(net, `10.0.0.1:${100 + i}`);
        return writeUntilBlocked(client, new Uint8Array(100)).reduce((a, b) => a + b, 0);
      });
    };
    const a = capacities(42);
    expect(a.every((c) => c >= 3 && c <= 40), `capacities within [3, 40]: ${a.join(", ")}`).toBe(true);
    expect(new Set(a).size, "they vary").toBeGreaterThan(3);
    expect(capacities(42), "same seed, same sizes").toEqual(a);
    expect(capacities(43)).not.toEqual(a);
  });
});

describe("Task 5: Delays", () => {
  it("a delay needs a clock", () => {
    expect(() => new SimNetwork({ delay: 5 })).toThrow("a simulated network with delays needs a clock: pass `now`");
    expect(() => new SimNetwork({ delay: -1, now: () => 0 })).toThrow(RangeError);
  });

  it("a connect stays in progress until the SYN arrives: no event, reads and writes would block", () => {
    let t = 0;
    const net = new SimNetwork({ delay: 10, now: () => t });
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const listener = net.bind("10.0.0.1:80");
    poll.registry().register(listener, Token(1), R);
    const client = net.connect("10.0.0.1:80");
    poll.registry().register(client, Token(2), rw());
    expect(net.nextDeadline()).toBe(10);
    expect(ready(poll, events)).toEqual([]);
    expect(client.write(bytes("x"))).toBe(WouldBlock);
    expect(client.read(new Uint8Array(1))).toBe(WouldBlock);
    expect(thrown(() => client.peerAddr()), "not connected yet").toMatchObject({ kind: "NotConnected" });
    t = 9;
    expect(ready(poll, events)).toEqual([]);
    t = 10;
    expect(ready(poll, events).map((e) => [e.token, e.readable, e.writable]).sort()).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
    expect(net.nextDeadline()).toBeUndefined();
    expect(client.takeError()).toBeUndefined();
  });

  it("data is invisible until its delivery time, which nextDeadline announces; order is kept, FIN last", () => {
    let t = 100;
    const net = new SimNetwork({ delay: 5, now: () => t });
    const listener = net.bind("10.0.0.1:80");
    const client = net.connect("10.0.0.1:80");
    t = 105;
    const accepted = listener.accept();
    expect(accepted).not.toBe(WouldBlock);
    const [server] = accepted as [TcpStream, unknown];
    client.write(bytes("one "));
    t = 107;
    client.write(bytes("two"));
    client.shutdown("write");
    expect(net.nextDeadline()).toBe(110);
    expect(server.read(new Uint8Array(16))).toBe(WouldBlock);
    t = 110;
    expect(readText(server, 16)).toBe("one ");
    expect(server.read(new Uint8Array(16)), "the rest is due at 112").toBe(WouldBlock);
    expect(net.nextDeadline()).toBe(112);
    t = 112;
    expect(readText(server, 16)).toBe("two");
    expect(server.read(new Uint8Array(16)), "then the end of the stream").toBe(0);
  });

  it("select first delivers what came due; a waiting poll does not watch the clock, a socket operation catches up", async () => {
    let t = 0;
    const net = new SimNetwork({ delay: 3, now: () => t });
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const listener = net.bind("10.0.0.1:80");
    poll.registry().register(listener, Token(1), R);
    net.connect("10.0.0.1:80");
    t = 3;
    expect(ready(poll, events).map((e) => e.token), "nobody touched the network: the poll delivered the SYN").toEqual([1]);
    expect(listener.accept()).not.toBe(WouldBlock);
    net.connect("10.0.0.1:80");
    let done = false;
    const waiting = poll.poll(events).then(() => (done = true));
    t = 6;
    await settle();
    expect(done, "time passing is no event").toBe(false);
    expect(listener.accept(), "the operation delivers what is due first").not.toBe(WouldBlock);
    await waiting;
    expect(seen(events).map((e) => e.token)).toEqual([1]);
  });
});
