/**
 * Hidden suite of chapter 11, task 4: `TcpListener` and `TcpStream` on a runtime, over the simulated network
 * (and, for what only Node does, real loopback sockets).
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn } from "#kata/07-current-thread";
import { Builder as MultiThreadBuilder } from "#kata/09-work-stealing";
import { Interest, IoError, NodeNetwork, SimNetwork, WouldBlock, type SocketAddr } from "#kata/10-mio";
import { JoinError } from "#kata/06-task";
import { yieldNow } from "#kata/14-blocking";
import { now } from "#kata/13-time";
import {
  CONTEXT_MISSING_ERROR,
  IO_DISABLED_ERROR,
  IoDriver,
  PollEvented,
  TcpListener,
  TcpStream,
  currentIoHandle,
  readExact,
  writeAll,
} from "#kata/11-io-driver";
import { bytes, connectedPair, text } from "../_support/10-mio.ts";
import { run, runtimeOn } from "../_support/11-io-driver.ts";
import { probe } from "../_support/poll.ts";

const errorOf = (e: unknown) => (e instanceof IoError ? { kind: e.kind, code: e.code } : { notAnIoError: String(e) });

describe("Task 4: TCP: listener and stream", () => {
  it("outside a runtime the TCP futures throw Tokio's message; with I/O disabled, the enable_io message", async () => {
    const p = probe();
    expect(() => TcpListener.bind("127.0.0.1:0").poll(p.cx)).toThrow(CONTEXT_MISSING_ERROR);
    expect(() => TcpStream.connect("127.0.0.1:1").poll(p.cx)).toThrow(CONTEXT_MISSING_ERROR);
    const rt = Builder.newCurrentThread().build();
    try {
      await expect(rt.blockOn(asyncBlock(function* () {
        yield* TcpListener.bind("127.0.0.1:0");
      }))).rejects.toThrow(IO_DISABLED_ERROR);
    } finally {
      rt.shutdown();
    }
  });

  it("bind, accept and connect on the simulated network; bytes go both ways; addresses match", async () => {
    const out = await run(new SimNetwork(), function* () {
      const listener = yield* TcpListener.bind("10.1.1.1:7000");
      expect(listener.localAddr().toString()).toBe("10.1.1.1:7000");
      const server = spawn(
        asyncBlock(function* () {
          const [s, peer] = yield* listener.accept();
          const buf = new Uint8Array(5);
          yield* readExact(s, buf);
          yield* writeAll(s, bytes(`${text(buf).toUpperCase()} from ${s.localAddr()}`));
          s.close();
          return peer.toString();
        }),
      );
      const c = yield* TcpStream.connect("10.1.1.1:7000");
      yield* c.write(bytes("hello"));
      const buf = new Uint8Array(64);
      let got = "";
      for (let n = yield* c.read(buf); n > 0; n = yield* c.read(buf)) got += text(buf, n);
      const peer = yield* server;
      const local = c.localAddr().toString();
      c.close();
      listener.close();
      return { got, peer, local };
    });
    expect(out.got, "out.got").toBe("HELLO from 10.1.1.1:7000");
    expect(out.peer, "accept reports the client's address").toBe(out.local);
  });

  it("connecting where nobody listens throws ConnectionRefused from the connect future", async () => {
    const caught = await run(new SimNetwork(), function* () {
      try {
        yield* TcpStream.connect("10.1.1.1:9");
        return "connected";
      } catch (e) {
        return errorOf(e);
      }
    });
    expect(caught).toEqual({ kind: "ConnectionRefused", code: "ECONNREFUSED" });
  });

  it("the peer's close reads as the end of the stream; a reset as ConnectionReset; then writes fail", async () => {
    const out = await run(new SimNetwork(), function* () {
      const listener = yield* TcpListener.bind("10.1.1.1:80");
      const closer = spawn(
        asyncBlock(function* () {
          const [a] = yield* listener.accept();
          yield* writeAll(a, bytes("bye"));
          a.close();
          const [b] = yield* listener.accept();
          b.setZeroLinger();
          b.close();
        }),
      );
      const a = yield* TcpStream.connect("10.1.1.1:80");
      const buf = new Uint8Array(16);
      const first = yield* a.read(buf);
      const eof = yield* a.read(buf);
      const b = yield* TcpStream.connect("10.1.1.1:80");
      yield* closer;
      let reset: unknown = null;
      try {
        yield* b.read(buf);
      } catch (e) {
        reset = errorOf(e);
      }
      let afterReset: unknown = null;
      try {
        yield* writeAll(b, bytes("anyone?"));
      } catch (e) {
        afterReset = errorOf(e);
      }
      a.close();
      b.close();
      listener.close();
      return { first: text(buf, first), eof, reset, afterReset };
    });
    expect(out.first, "out.first").toBe("bye");
    expect(out.eof, "out.eof").toBe(0);
    expect(out.reset, "out.reset").toEqual({ kind: "ConnectionReset", code: "ECONNRESET" });
    expect(out.afterReset, "out.afterReset").toEqual({ kind: "BrokenPipe", code: "EPIPE" });
  });

  it("shutdown() closes our writing half: the peer reads the end of the stream and can still answer", async () => {
    const reply = await run(new SimNetwork({ bufferSize: 3 }), function* () {
      const listener = yield* TcpListener.bind("10.1.1.1:80");
      spawn(
        asyncBlock(function* () {
          const [s] = yield* listener.accept();
          const buf = new Uint8Array(4);
          let total = 0;
          for (let n = yield* s.read(buf); n > 0; n = yield* s.read(buf)) total += n;
          yield* writeAll(s, bytes(`got ${total} bytes`));
          yield* s.shutdown();
          s.close();
        }),
      );
      const c = yield* TcpStream.connect("10.1.1.1:80");
      yield* writeAll(c, bytes("ten bytes!"));
      yield* c.shutdown();
      const buf = new Uint8Array(64);
      let got = "";
      for (let n = yield* c.read(buf); n > 0; n = yield* c.read(buf)) got += text(buf, n);
      c.close();
      listener.close();
      return got;
    });
    expect(reply).toBe("got 10 bytes");
  });

  it("shutting the runtime down drops a task blocked on a read and closes its socket", async () => {
    const net = new SimNetwork();
    const listener = net.bind("10.1.1.1:80");
    const rt = runtimeOn(net);
    let reached = "";
    const [task, accepted] = await rt.blockOn(
      asyncBlock(function* () {
        const h = spawn(
          asyncBlock(function* () {
            const s = yield* TcpStream.connect("10.1.1.1:80");
            reached = "connected";
            yield* s.read(new Uint8Array(8));
            reached = "read";
          }),
        );
        let a = listener.accept();
        for (let i = 0; a === WouldBlock || reached !== "connected"; i++) {
          if (i === 10) throw new Error("the task did not connect within 10 yields");
          yield* yieldNow();
          if (a === WouldBlock) a = listener.accept();
        }
        yield* yieldNow();
        return [h, a] as const;
      }),
    );
    rt.shutdown();
    expect(reached, "the task was waiting in its read").toBe("connected");
    const p = probe();
    expect(() => task.poll(p.cx), "its JoinHandle reports it cancelled").toThrow(JoinError);
    const [server] = accepted;
    expect(server.read(new Uint8Array(8)), "its socket was closed with the runtime: the end of the stream").toBe(0);
    listener.close();
  });

  it("the same sockets work on the multi-thread runtime, whose worker about to park turns the driver", async () => {
    const net = new SimNetwork({ bufferSize: [2, 30], seed: 5 });
    const rt = MultiThreadBuilder.newMultiThread().workerThreads(3).rngSeed(9).enableIo().network(net).build();
    try {
      const replies = await rt.blockOn(
        asyncBlock(function* () {
          const listener = yield* TcpListener.bind("10.1.1.1:80");
          const server = spawn(
            asyncBlock(function* () {
              for (;;) {
                const [s] = yield* listener.accept();
                spawn(
                  asyncBlock(function* () {
                    const buf = new Uint8Array(6);
                    yield* readExact(s, buf);
                    yield* writeAll(s, bytes(text(buf).toUpperCase()));
                    s.close();
                  }),
                );
              }
            }),
          );
          const clients = ["client", "worker", "thread"].map((word) =>
            spawn(
              asyncBlock(function* () {
                using c = yield* TcpStream.connect("10.1.1.1:80");
                yield* writeAll(c, bytes(word));
                const buf = new Uint8Array(6);
                yield* readExact(c, buf);
                return text(buf);
              }),
            ),
          );
          const out = [];
          for (const h of clients) out.push(yield* h);
          server.abort();
          listener.close();
          return out;
        }),
      );
      expect(replies).toEqual(["CLIENT", "WORKER", "THREAD"]);
    } finally {
      rt.shutdown();
    }
  });

  it("binding a port in use on Node throws AddrInUse from the bind future", async () => {
    const caught = await run(new NodeNetwork(), function* () {
      const first = yield* TcpListener.bind("127.0.0.1:0");
      try {
        yield* TcpListener.bind(first.localAddr());
        return "bound twice";
      } catch (e) {
        return errorOf(e);
      } finally {
        first.close();
      }
    });
    expect(caught).toEqual({ kind: "AddrInUse", code: "EADDRINUSE" });
  });

  it("on a delayed network, connect completes when the paused clock reaches the SYN's arrival", async () => {
    let rt: ReturnType<typeof runtimeOn> | null = null;
    const net = new SimNetwork({ delay: 25, now: () => rt!.handle().driver.clock.now() });
    rt = runtimeOn(net, { paused: true });
    try {
      const times = await rt.blockOn(
        asyncBlock(function* () {
          const listener = yield* TcpListener.bind("10.1.1.1:80");
          const t0 = now();
          const c = yield* TcpStream.connect("10.1.1.1:80");
          const connected = now() - t0;
          const [s] = yield* listener.accept();
          yield* writeAll(c, bytes("ping"));
          const buf = new Uint8Array(4);
          yield* readExact(s, buf);
          const delivered = now() - t0;
          c.close();
          s.close();
          listener.close();
          return { connected, delivered, got: text(buf) };
        }),
      );
      expect(times).toEqual({ connected: 25, delivered: 50, got: "ping" });
    } finally {
      rt.shutdown();
    }
  });

  it("accept registers each stream with the listener's driver, even outside any runtime; close() stops listening", () => {
    const net = new SimNetwork();
    const driver = new IoDriver({ network: net });
    const handle = driver.handle;
    const listener = TcpListener.fromEvented(new PollEvented(net.bind("10.5.5.5:80"), Interest.READABLE, handle));
    const client = net.connect("10.5.5.5:80");
    driver.turn();
    const p = probe();
    const accepted = listener.pollAccept(p.cx);
    expect(accepted, "a connection is queued").not.toBe(Pending);
    const [stream, peer] = accepted as [TcpStream, SocketAddr];
    expect(peer.toString(), "peer.toString()").toBe(client.localAddr().toString());
    expect(handle.metrics.fdCount, "the listener and the accepted stream, both on the listener's driver").toBe(2);
    expect(listener.pollAccept(p.cx), "nothing more to accept").toBe(Pending);
    listener.close();
    expect(handle.metrics.fdCount, "close() deregistered the listener").toBe(1);
    const late = net.connect("10.5.5.5:80");
    expect(errorOf(late.takeError()), "nobody listens there any more").toEqual({ kind: "ConnectionRefused", code: "ECONNREFUSED" });
    stream[Symbol.dispose]();
    expect(handle.metrics.fdCount, "handle.metrics.fdCount").toBe(0);
    client.close();
    late.close();
    driver.shutdown();
  });

  it("a stream's peerAddr, setNodelay and takeError are its socket's; shutdown ignores NotConnected; a closed stream throws", () => {
    const net = new SimNetwork();
    const driver = new IoDriver({ network: net });
    const { client, server } = connectedPair(net);
    const nodelay: boolean[] = [];
    const setNodelay = server.setNodelay.bind(server);
    server.setNodelay = (on: boolean) => {
      nodelay.push(on);
      setNodelay(on);
    };
    const s = TcpStream.fromMio(server, driver.handle);
    expect(s.peerAddr().toString()).toBe(client.localAddr().toString());
    s.setNodelay(true);
    expect(nodelay, "setNodelay reaches the socket").toEqual([true]);
    expect(s.takeError()).toBeUndefined();
    client.setZeroLinger();
    client.close();
    expect(errorOf(s.takeError()), "the peer reset the connection: SO_ERROR says so").toEqual({
      kind: "ConnectionReset",
      code: "ECONNRESET",
    });
    const p = probe();
    expect(s.shutdown().poll(p.cx), "a dead connection's NotConnected is ignored: shutdown is ready").toBeUndefined();
    s.close();
    expect(() => s.shutdown().poll(p.cx), "any other error propagates").toThrow("PollEvented used after it was disposed");
    driver.shutdown();
  });

  it("dropping a connect future before it completes closes its socket; dropped before its first poll it does nothing", async () => {
    const out = await run(new SimNetwork(), function* () {
      const listener = yield* TcpListener.bind("10.6.6.6:80");
      const io = currentIoHandle();
      TcpStream.connect("10.6.6.6:80")[Symbol.dispose]?.();
      TcpListener.bind("10.6.6.6:81")[Symbol.dispose]?.();
      const unpolled = io.metrics.fdCount;
      const p = probe();
      const c = TcpStream.connect("10.6.6.6:80");
      const first = c.poll(p.cx);
      const polled = io.metrics.fdCount;
      c[Symbol.dispose]?.();
      const dropped = io.metrics.fdCount;
      const [s] = yield* listener.accept();
      const n = yield* s.read(new Uint8Array(4));
      s.close();
      listener.close();
      return { unpolled, first: first === Pending ? "pending" : "ready", polled, dropped, n };
    });
    expect(out, "fdCount: the listener; + the connecting socket; after the drop, the listener; the server side reads the end").toEqual({
      unpolled: 1,
      first: "pending",
      polled: 2,
      dropped: 1,
      n: 0,
    });
  });

  it("on Node a bind future dropped while binding closes its socket; a failed bind closes its socket too", async () => {
    const out = await run(new NodeNetwork(), function* () {
      const io = currentIoHandle();
      const p = probe();
      const b = TcpListener.bind("127.0.0.1:0");
      const first = b.poll(p.cx);
      const binding = io.metrics.fdCount;
      b[Symbol.dispose]?.();
      const dropped = io.metrics.fdCount;
      const listener = yield* TcpListener.bind("127.0.0.1:0");
      let kind = "bound twice";
      try {
        yield* TcpListener.bind(listener.localAddr());
      } catch (e) {
        kind = e instanceof IoError ? e.kind : String(e);
      }
      const afterFailure = io.metrics.fdCount;
      listener.close();
      return { first: first === Pending ? "pending" : "ready", binding, dropped, kind, afterFailure };
    });
    expect(out).toEqual({ first: "pending", binding: 1, dropped: 0, kind: "AddrInUse", afterFailure: 1 });
  });

  it("bind checks again after each read-readiness event: NotConnected means still binding; another localAddr error is thrown", async () => {
    const net = new SimNetwork();
    const bind = net.bind.bind(net);
    let notYet = 0;
    let failWith: IoError | null = null;
    // Listeners whose bind completes late (NotConnected `notYet` more times), or whose localAddr fails once.
    net.bind = (addr) => {
      const l = bind(addr);
      const localAddr = l.localAddr.bind(l);
      l.localAddr = () => {
        const e = failWith;
        failWith = null;
        if (e !== null) throw e;
        if (notYet > 0) {
          notYet--;
          throw IoError.os("ENOTCONN");
        }
        return localAddr();
      };
      return l;
    };
    const out = await run(net, function* () {
      const p = probe();
      notYet = 2;
      const f = TcpListener.bind("10.7.7.7:80");
      const first = f.poll(p.cx);
      const client = net.connect("10.7.7.7:80");
      for (let i = 0; p.stats.wakes === 0; i++) {
        if (i === 10) throw new Error("the listener's readiness did not wake the bind within 10 yields");
        yield* yieldNow();
      }
      const second = f.poll(p.cx);
      const bound = second instanceof TcpListener ? second.localAddr().toString() : "pending";
      if (second instanceof TcpListener) second.close();
      else f[Symbol.dispose]?.();
      client.close();
      failWith = IoError.os("EADDRNOTAVAIL");
      const g = TcpListener.bind("10.7.7.8:80");
      let failed = "no error";
      try {
        failed = g.poll(p.cx) === Pending ? "pending" : "ready";
      } catch (e) {
        failed = e instanceof IoError ? e.kind : String(e);
      }
      g[Symbol.dispose]?.();
      return { first: first === Pending ? "pending" : "ready", bound, failed };
    });
    expect(out.first, "not bound yet and no readiness: wait").toBe("pending");
    expect(out.bound, "woken, still NotConnected, but ready: clear the readiness and check again").toBe("10.7.7.7:80");
    expect(out.failed, "an error other than NotConnected comes out of the bind").toBe("AddrNotAvailable");
  });
});
