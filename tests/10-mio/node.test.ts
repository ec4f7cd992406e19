/**
 * Hidden suite of chapter 10, task 6: the `node:net` backend on loopback. These tests check behaviour, never
 * time; every socket is closed at the end (`poll.close()` closes whatever is still registered).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Events, Interest, NodeNetwork, Poll, Token, TX_HIGH_WATER, WouldBlock, type TcpListener, type TcpStream } from "#kata/10-mio";
import { bytes, isRegistered, readText, seen, thrown, until } from "../_support/10-mio.ts";

const R = Interest.READABLE;
const W = Interest.WRITABLE;
/** READABLE | WRITABLE, computed when a test runs (so that a broken `add` fails tests, not the file). */
const rw = () => R.add(W);

let poll: Poll;
let events: Events;
afterEach(() => poll?.close());

function fresh(): { net: NodeNetwork; poll: Poll; events: Events } {
  poll = new Poll();
  events = Events.withCapacity(64);
  return { net: new NodeNetwork(), poll, events };
}

/** Binds 127.0.0.1:0 and waits for the bind to complete. */
async function listen(net: NodeNetwork, token = 1): Promise<TcpListener> {
  const listener = net.bind("127.0.0.1:0");
  poll.registry().register(listener, Token(token), R);
  expect(thrown(() => listener.localAddr()), "binding is asynchronous on Node").toMatchObject({ kind: "NotConnected" });
  await until(poll, events, token);
  expect(listener.takeError()).toBeUndefined();
  return listener;
}

/** Connects a client (token 2) and accepts its server side (token 3). */
async function pair(net: NodeNetwork, listener: TcpListener): Promise<{ client: TcpStream; server: TcpStream }> {
  const client = net.connect(listener.localAddr());
  poll.registry().register(client, Token(2), rw());
  expect(client.write(bytes("x")), "in progress: writes would block").toBe(WouldBlock);
  await until(poll, events, 2, (e) => e.writable);
  expect(client.takeError()).toBeUndefined();
  let accepted = listener.accept();
  while (accepted === WouldBlock) {
    await until(poll, events, 1);
    accepted = listener.accept();
  }
  const server = accepted[0];
  expect(accepted[1].toString()).toBe(client.localAddr().toString());
  poll.registry().register(server, Token(3), rw());
  return { client, server };
}

/** Reads from `s` (token) until `want` characters arrived; the text. */
async function readAll(s: TcpStream, token: number, want: number): Promise<string> {
  let out = "";
  while (out.length < want) {
    const got = readText(s, 1024);
    if (got === WouldBlock) await until(poll, events, token, (e) => e.readable);
    else if (got === "") throw new Error(`end of stream after ${JSON.stringify(out)}`);
    else out += got;
  }
  return out;
}

describe("Task 6: Real sockets", () => {
  it("bind completes with a readable edge; connect is announced writable; bytes go both ways, WouldBlock in between", async () => {
    const { net } = fresh();
    expect(net.kind).toBe("node");
    const listener = await listen(net);
    expect(listener.localAddr().ip).toBe("127.0.0.1");
    expect(listener.localAddr().port).toBeGreaterThan(0);
    const { client, server } = await pair(net, listener);
    expect(server.read(new Uint8Array(8)), "nothing buffered").toBe(WouldBlock);
    expect(client.write(bytes("ping"))).toBe(4);
    expect(await readAll(server, 3, 4)).toBe("ping");
    expect(server.read(new Uint8Array(8))).toBe(WouldBlock);
    expect(server.write(bytes("pong"))).toBe(4);
    expect(await readAll(client, 2, 4)).toBe("pong");
    expect(client.peerAddr().toString()).toBe(listener.localAddr().toString());
  });

  it("connecting to a port nobody listens on: a writable error event, and takeError() says refused", async () => {
    const { net } = fresh();
    const listener = await listen(net);
    const port = listener.localAddr().port;
    listener.close();
    const client = net.connect(`127.0.0.1:${port}`);
    poll.registry().register(client, Token(4), W);
    const e = await until(poll, events, 4);
    expect(e).toMatchObject({ writable: true, error: true });
    expect(client.takeError()).toMatchObject({ kind: "ConnectionRefused", code: "ECONNREFUSED", message: "Connection refused (os error 111)" });
    expect(client.takeError()).toBeUndefined();
  });

  it("binding a port in use fails: a readable error event, takeError() says AddrInUse", async () => {
    const { net } = fresh();
    const listener = await listen(net);
    const again = net.bind(listener.localAddr());
    poll.registry().register(again, Token(5), R);
    const e = await until(poll, events, 5);
    expect(e.error).toBe(true);
    expect(again.takeError()).toMatchObject({ kind: "AddrInUse", code: "EADDRINUSE" });
  });

  it("shutdown(write): the peer reads the end of the stream, announced as read closed, and can still answer", async () => {
    const { net } = fresh();
    const { client, server } = await pair(net, await listen(net));
    client.write(bytes("last words"));
    client.shutdown("write");
    expect(await readAll(server, 3, 10)).toBe("last words");
    let n = server.read(new Uint8Array(8));
    if (n === WouldBlock) {
      const e = await until(poll, events, 3, (ev) => ev.readClosed);
      expect(e.readable).toBe(true);
      n = server.read(new Uint8Array(8));
    }
    expect(n, "the end of the stream").toBe(0);
    expect(server.write(bytes("ack"))).toBe(3);
    expect(await readAll(client, 2, 3)).toBe("ack");
  });

  it("zero linger makes close a reset: the peer's read throws ConnectionReset", async () => {
    const { net } = fresh();
    const { client, server } = await pair(net, await listen(net));
    server.setZeroLinger();
    server.close();
    const e = await until(poll, events, 2, (ev) => ev.error || ev.readClosed);
    expect(e.readClosed).toBe(true);
    let error: unknown;
    try {
      client.read(new Uint8Array(8));
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ kind: "ConnectionReset", code: "ECONNRESET" });
  });

  it("writes return WouldBlock once a full batch waits in Node, and a writable edge follows when the peer reads", async () => {
    const { net } = fresh();
    const { client, server } = await pair(net, await listen(net));
    const chunk = new Uint8Array(TX_HIGH_WATER);
    let written = 0;
    let sizes = 0;
    for (;;) {
      const n = client.write(chunk);
      if (n === WouldBlock) break;
      written += n;
      sizes++;
      if (written > 512 * 1024 * 1024) throw new Error("writes never blocked");
      if (sizes % 16 === 0) await poll.poll(events, 0);
    }
    expect(written, "the kernel buffers filled up first").toBeGreaterThan(TX_HIGH_WATER);
    let read = 0;
    const buf = new Uint8Array(1 << 20);
    while (read < written) {
      const n = server.read(buf);
      if (n === WouldBlock) {
        await poll.poll(events);
        if (seen(events).some((e) => e.token === 2 && e.writable)) break;
        continue;
      }
      read += n;
    }
    expect(client.write(bytes("more")), "writable again").toBe(4);
  });

  it("sources of this network need Node's event loop; Poll.close() closes them all", async () => {
    const { net } = fresh();
    expect(poll.needsEventLoop).toBe(false);
    const listener = await listen(net);
    expect(poll.needsEventLoop).toBe(true);
    const { client } = await pair(net, listener);
    const port = listener.localAddr().port;
    poll.close();
    expect(poll.needsEventLoop).toBe(false);
    expect(isRegistered(client)).toBe(false);
    poll = new Poll();
    const probe = net.connect(`127.0.0.1:${port}`);
    poll.registry().register(probe, Token(9), W);
    await until(poll, events, 9);
    expect(probe.takeError(), "the listener was closed").toMatchObject({ kind: "ConnectionRefused" });
  });
});
