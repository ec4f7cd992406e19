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
/** A network with a delay of 5 on a clock the test moves (`clock.t`): a client, and its server side accepted at 5. */
function acceptedAt5() {
  const clock = { t: 0 };
  const net = new SimNetwork({ delay: 5, now: () => clock.t });
  const listener = net.bind("10.0.0.1:80");
  const client = net.connect("10.0.0.1:80");
  clock.t = 5;
  const [server] = listener.accept() as [TcpStream, unknown];
  return { clock, net, listener, client, server };
}

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
    expect(listener.accept(), "listener.accept()").toBe(WouldBlock);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
    const client = net.connect("10.0.0.1:80");
    expect(ready(poll, events).map((e) => [e.token, e.readable])).toEqual([[1, true]]);
    const accepted = listener.accept();
    expect(accepted).not.toBe(WouldBlock);
    const [server, peer] = accepted as [TcpStream, unknown];
    expect(String(peer), "String(peer)").toBe(client.localAddr().toString());
    expect(server.peerAddr().toString()).toBe(client.localAddr().toString());
    expect(server.localAddr().toString()).toBe("10.0.0.1:80");
    expect(client.peerAddr().toString()).toBe("10.0.0.1:80");
    expect(listener.accept(), "listener.accept()").toBe(WouldBlock);
  });

  it("a connected stream reports writable once registered, with no error to take", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client } = connectedPair(net);
    poll.registry().register(client, Token(2), rw());
    expect(ready(poll, events), "ready(poll, events)").toEqual([{ token: 2, readable: false, writable: true, readClosed: false, writeClosed: false, error: false }]);
    expect(client.takeError()).toBeUndefined();
  });

  it("connecting where nobody listens: writable with an error, takeError() says refused, once; then writes fail", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const client = net.connect("10.0.0.9:81");
    poll.registry().register(client, Token(3), W);
    expect(ready(poll, events), "ready(poll, events)").toEqual([{ token: 3, readable: false, writable: true, readClosed: true, writeClosed: true, error: true }]);
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
    expect(readText(server, 5), "readText(server, 5)").toBe("abcde");
    expect(ready(poll, events).map((e) => [e.token, e.writable]), "room again: the writer's edge").toEqual([[1, true]]);
    expect(writeUntilBlocked(client, data.subarray(8)), "exactly the freed room").toEqual([5]);
    expect(readText(server, 64), "a short read drains what is there").toBe("fghijklm");
    expect(readText(server, 64), "readText(server, 64)").toBe(WouldBlock);
  });

  it("edge-triggered: a reader that stops before WouldBlock hears nothing more until it drains", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(server, Token(5), R);
    client.write(bytes("0123456789"));
    expect(ready(poll, events).map((e) => e.token)).toEqual([5]);
    expect(readText(server, 4), "readText(server, 4)").toBe("0123");
    client.write(bytes("more"));
    expect(ready(poll, events), "still readable before the write: no edge, no event").toEqual([]);
    expect(readText(server, 64), "readText(server, 64)").toBe("456789more");
    expect(readText(server, 64), "readText(server, 64)").toBe(WouldBlock);
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
    expect(readText(server), "readText(server)").toBe("bye");
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
    expect(readText(server), "readText(server)").toBe("request");
    expect(server.read(new Uint8Array(4))).toBe(0);
    expect(server.write(bytes("response"))).toBe(8);
    server.shutdown("both");
    const got = seen((void poll.poll(events, 0), events));
    expect(got.find((e) => e.token === 1), "data and the end of the stream for the client, both halves closed now").toMatchObject({
      readable: true,
      readClosed: true,
      writeClosed: true,
    });
    expect(readText(client), "readText(client)").toBe("response");
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
    expect(ready(poll, events), "ready(poll, events)").toEqual([{ token: 1, readable: true, writable: false, readClosed: true, writeClosed: true, error: true }]);
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

  it("a dead socket whose error was taken stays ready for everything, without the error bit; closing it sends nothing", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const client = net.connect("10.0.0.9:81");
    expect(client.takeError()).toMatchObject({ kind: "ConnectionRefused" });
    poll.registry().register(client, Token(3), rw());
    expect(ready(poll, events), "IN | OUT | RDHUP | HUP, no ERR once collected").toEqual([
      { token: 3, readable: true, writable: true, readClosed: true, writeClosed: true, error: false },
    ]);
    expect(() => client.close(), "a refused socket has no peer to tell").not.toThrow();
    expect(client.isClosed(), "client.isClosed()").toBe(true);
    expect(isRegistered(client), "isRegistered(client)").toBe(false);
  });

  it("a read gathers several chunks into one buffer and stops where the buffer ends; data alone is not read closed", () => {
    const net = new SimNetwork();
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(server, Token(2), R);
    client.write(bytes("abc"));
    client.write(bytes("defgh"));
    client.write(bytes("ij"));
    expect(ready(poll, events), "ready(poll, events)").toEqual([{ token: 2, readable: true, writable: false, readClosed: false, writeClosed: false, error: false }]);
    expect(readText(server, 5), "the first chunk and part of the second").toBe("abcde");
    expect(readText(server, 4), "readText(server, 4)").toBe("fghi");
    expect(readText(server, 4), "readText(server, 4)").toBe("j");
    expect(readText(server, 4), "readText(server, 4)").toBe(WouldBlock);
  });

  it("an empty write returns 0, even when the pipe is full", () => {
    const net = new SimNetwork({ bufferSize: 4 });
    const { client } = connectedPair(net);
    expect(client.write(bytes("abcd"))).toBe(4);
    expect(client.write(bytes("e")), "full").toBe(WouldBlock);
    expect(client.write(new Uint8Array(0)), "nothing to write: 0 before the room check").toBe(0);
  });

  it("shutdown(read) discards what was unread and gives its room back, drops later data, and leaves writing open", () => {
    const net = new SimNetwork({ bufferSize: 8 });
    const poll = new Poll();
    const events = Events.withCapacity(8);
    const { client, server } = connectedPair(net);
    poll.registry().register(client, Token(1), rw());
    poll.registry().register(server, Token(2), R);
    ready(poll, events);
    expect(writeUntilBlocked(client, bytes("0123456789")), "the pipe holds 8").toEqual([8]);
    ready(poll, events);
    server.shutdown("read");
    expect(server.read(new Uint8Array(16)), "the reading half is shut: the end of the stream at once").toBe(0);
    const got = ready(poll, events);
    expect(got.find((e) => e.token === 1), "the discarded bytes free the writer's pipe: a writable edge").toMatchObject({ writable: true });
    expect(got.find((e) => e.token === 2), "the server's read side has ended").toMatchObject({ readable: true, readClosed: true, writeClosed: false });
    expect(client.write(bytes("abcdefgh")), "room for 8 again").toBe(8);
    expect(client.write(bytes("ijklmnop")), "data reaching a shut reading half is dropped and its room given back").toBe(8);
    expect(server.read(new Uint8Array(16))).toBe(0);
    expect(server.write(bytes("pong")), "shutdown(read) does not shut the writing half").toBe(4);
    expect(readText(client), "and sends no FIN").toBe("pong");
    expect(client.read(new Uint8Array(4))).toBe(WouldBlock);
  });

  it("port 0 skips a port that a listener holds", () => {
    const net = new SimNetwork();
    net.bind("10.0.0.1:49152");
    expect(net.bind("10.0.0.1:0").localAddr().toString(), "49152 is taken on this address").toBe("10.0.0.1:49153");
  });

  it("a buffer size below 1 byte, or a range whose max is below its min, is a RangeError; 1 byte is allowed", () => {
    expect(() => new SimNetwork({ bufferSize: 0 })).toThrow(RangeError);
    expect(() => new SimNetwork({ bufferSize: [0, 4] })).toThrow(RangeError);
    expect(() => new SimNetwork({ bufferSize: [5, 3] })).toThrow(RangeError);
    const net = new SimNetwork({ bufferSize: 1 });
    const { client, server } = connectedPair(net);
    expect(writeUntilBlocked(client, bytes("xyz")), "one byte at a time").toEqual([1]);
    expect(readText(server), "readText(server)").toBe("x");
    expect(new SimNetwork({ bufferSize: [2, 2] }).kind, "new SimNetwork({ bufferSize: [2, 2] }).kind").toBe("simulated");
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
    expect(net.nextDeadline(), "net.nextDeadline()").toBe(10);
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
    expect(client.write(bytes("x"))).toBe(WouldBlock);
    expect(client.read(new Uint8Array(1))).toBe(WouldBlock);
    expect(thrown(() => client.peerAddr()), "not connected yet").toMatchObject({ kind: "NotConnected" });
    t = 9;
    expect(ready(poll, events), "ready(poll, events)").toEqual([]);
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
    expect(net.nextDeadline(), "net.nextDeadline()").toBe(110);
    expect(server.read(new Uint8Array(16))).toBe(WouldBlock);
    t = 110;
    expect(readText(server, 16), "readText(server, 16)").toBe("one ");
    expect(server.read(new Uint8Array(16)), "the rest is due at 112").toBe(WouldBlock);
    expect(net.nextDeadline(), "net.nextDeadline()").toBe(112);
    t = 112;
    expect(readText(server, 16), "readText(server, 16)").toBe("two");
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
  it("with delay 0 nothing stays in flight", () => {
    const net = new SimNetwork();
    net.bind("10.0.0.1:80");
    const client = net.connect("10.0.0.1:80");
    expect(net.nextDeadline(), "the SYN was delivered at once").toBeUndefined();
    client.write(bytes("x"));
    expect(net.nextDeadline()).toBeUndefined();
  });

  it("a connection closed before its SYN arrives is never queued on the listener", () => {
    let t = 0;
    const net = new SimNetwork({ delay: 5, now: () => t });
    const listener = net.bind("10.0.0.1:80");
    const client = net.connect("10.0.0.1:80");
    t = 1;
    client.close();
    expect(client.isClosed(), "client.isClosed()").toBe(true);
    t = 5;
    expect(listener.accept(), "the SYN of a closed socket is ignored").toBe(WouldBlock);
    expect(net.nextDeadline()).toBeUndefined();
  });

  it("writing to a peer that has closed: the reset is sent by the write and arrives one delay later", () => {
    const { clock, net, client, server } = acceptedAt5();
    server.close();
    clock.t = 10;
    expect(client.read(new Uint8Array(4)), "the FIN").toBe(0);
    expect(client.write(bytes("x")), "accepted").toBe(1);
    expect(net.nextDeadline(), "net.nextDeadline()").toBe(15);
    clock.t = 15;
    expect(client.takeError(), "the RST due at 15").toMatchObject({ kind: "ConnectionReset" });
  });

  it("data that reaches a socket closed meanwhile draws a reset", () => {
    const { clock, net, client, server } = acceptedAt5();
    expect(client.write(bytes("late")), "due at 10").toBe(4);
    clock.t = 6;
    server.close();
    clock.t = 10;
    expect(client.takeError(), "the FIN is due at 11, the data reaches the closed server at 10").toBeUndefined();
    expect(net.nextDeadline(), "the closed server answered the data with an RST").toBe(11);
    clock.t = 11;
    expect(client.read(new Uint8Array(4)), "the FIN").toBe(0);
    expect(net.nextDeadline(), "net.nextDeadline()").toBe(15);
    clock.t = 15;
    expect(client.takeError()).toMatchObject({ kind: "ConnectionReset" });
  });

  it("a reset that reaches a socket already reset changes nothing: the error is reported once", () => {
    const { clock, net, client, server } = acceptedAt5();
    client.write(bytes("unread"));
    clock.t = 10;
    expect(server.takeError(), "the data has arrived, unread").toBeUndefined();
    server.close();
    clock.t = 11;
    expect(client.write(bytes("y")), "the server is closed: this write draws a second RST, due at 16").toBe(1);
    clock.t = 15;
    expect(client.takeError(), "the first RST").toMatchObject({ kind: "ConnectionReset" });
    clock.t = 16;
    expect(client.takeError(), "the second RST finds the socket dead: nothing new").toBeUndefined();
    expect(net.nextDeadline()).toBeUndefined();
    expect(client.read(new Uint8Array(4))).toBe(0);
  });

  it("after shutdown(write), close sends no second FIN, and closing twice sends nothing", () => {
    const { clock, net, listener, client, server } = acceptedAt5();
    client.shutdown("write");
    clock.t = 6;
    client.close();
    clock.t = 7;
    client.close();
    clock.t = 10;
    expect(server.read(new Uint8Array(4)), "the one FIN").toBe(0);
    expect(net.nextDeadline(), "nothing else in flight").toBeUndefined();
    const other = net.connect("10.0.0.1:80");
    clock.t = 15;
    const [otherServer] = listener.accept() as [TcpStream, unknown];
    other.close();
    clock.t = 16;
    other.close();
    clock.t = 20;
    expect(otherServer.read(new Uint8Array(4)), "the FIN of the first close").toBe(0);
    expect(net.nextDeadline(), "the second close sent nothing").toBeUndefined();
  });
});
