/**
 * Hidden suite of chapter 11, task 5: `readExact`, `readToEnd`, `writeAll`, `copy`, on scripted readers and
 * writers and on echo servers over the simulated network (seeded buffer sizes) and over real loopback sockets.
 */
import { describe, expect, it } from "vitest";
import { Pending, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { IoError, NodeNetwork, SimNetwork } from "#kata/10-mio";
import { DEFAULT_BUF_SIZE, TcpStream, copy, readExact, readToEnd, writeAll, type AsyncRead, type AsyncWrite } from "#kata/11-io-driver";
import { bytes, text } from "../_support/10-mio.ts";
import { echoServer, pattern, run } from "../_support/11-io-driver.ts";
import { probe } from "../_support/poll.ts";
import { seeds, withSeed } from "../_support/seed.ts";

/** A reader that hands out `chunks` one per ready poll, returning Pending (and waking at once) before each. */
class ScriptedReader implements AsyncRead {
  polls = 0;
  #pendingNext = true;

  constructor(readonly chunks: Uint8Array[]) {}

  pollRead(cx: Context, buf: Uint8Array): Poll<number> {
    this.polls++;
    if (this.#pendingNext) {
      this.#pendingNext = false;
      cx.waker.wakeByRef();
      return Pending;
    }
    this.#pendingNext = true;
    const chunk = this.chunks[0];
    if (chunk === undefined) return 0;
    const n = Math.min(chunk.length, buf.length);
    buf.set(chunk.subarray(0, n));
    if (n === chunk.length) this.chunks.shift();
    else this.chunks[0] = chunk.subarray(n);
    return n;
  }
}

/** A writer that accepts at most `max` bytes per write (and nothing at all after `limit` bytes), every other poll Pending. */
class ScriptedWriter implements AsyncWrite {
  readonly got: number[] = [];
  writes: number[] = [];
  flushes = 0;
  shutdowns = 0;
  #pendingNext = true;

  constructor(
    readonly max: number,
    readonly limit = Infinity,
  ) {}

  pollWrite(cx: Context, buf: Uint8Array): Poll<number> {
    if (this.#pendingNext) {
      this.#pendingNext = false;
      cx.waker.wakeByRef();
      return Pending;
    }
    this.#pendingNext = true;
    const n = Math.min(buf.length, this.max, this.limit - this.got.length);
    for (let i = 0; i < n; i++) this.got.push(buf[i]!);
    this.writes.push(n);
    return n;
  }

  pollFlush(_cx: Context): Poll<void> {
    this.flushes++;
    return undefined;
  }

  pollShutdown(_cx: Context): Poll<void> {
    this.shutdowns++;
    return undefined;
  }
}

/** Polls `future` with a probe until it is ready (the scripted I/O wakes at once); throws what it throws. */
function drive<T>(future: { poll(cx: Context): Poll<T> }): T {
  const p = probe();
  for (let i = 0; i < 10_000; i++) {
    const out = future.poll(p.cx);
    if (out !== Pending) return out;
  }
  throw new Error("not ready after 10,000 polls");
}

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof IoError ? `${e.kind}: ${e.message}` : `not an IoError: ${String(e)}`;
  }
  return "no error";
};

describe("Task 5: I/O utilities", () => {
  it("readExact fills the buffer across partial reads and pending polls, and resolves to its length", () => {
    const reader = new ScriptedReader([bytes("ab"), bytes("cde"), bytes("fghij"), bytes("rest")]);
    const buf = new Uint8Array(9);
    expect(drive(readExact(reader, buf))).toBe(9);
    expect(text(buf)).toBe("abcdefghi");
    expect(text(reader.chunks[0]!), "no more than asked for was read").toBe("j");
  });

  it("readExact at the end of the stream before the buffer is full is UnexpectedEof, 'early eof'", () => {
    const reader = new ScriptedReader([bytes("abc")]);
    expect(errorOf(() => drive(readExact(reader, new Uint8Array(5))))).toBe("UnexpectedEof: early eof");
    expect(drive(readExact(new ScriptedReader([]), new Uint8Array(0))), "nothing to read: done at once").toBe(0);
  });

  it("readToEnd collects every byte up to the end of the stream, however many reads it takes", () => {
    const big = pattern(1000, 3);
    const reader = new ScriptedReader([bytes("x"), big.subarray(0, 500), big.subarray(500)]);
    const all = drive(readToEnd(reader));
    expect(all.length).toBe(1001);
    expect(all[0]).toBe("x".charCodeAt(0));
    expect(Buffer.from(all.subarray(1)).equals(Buffer.from(big))).toBe(true);
    expect(drive(readToEnd(new ScriptedReader([]))).length).toBe(0);
  });

  it("writeAll keeps writing through partial and pending writes; a writer that takes nothing is WriteZero", () => {
    const w = new ScriptedWriter(3);
    expect(drive(writeAll(w, bytes("abcdefgh")))).toBeUndefined();
    expect(w.writes).toEqual([3, 3, 2]);
    expect(text(Uint8Array.from(w.got))).toBe("abcdefgh");
    const full = new ScriptedWriter(3, 4);
    expect(errorOf(() => drive(writeAll(full, bytes("abcdefgh"))))).toBe("WriteZero: failed to write whole buffer");
    expect(drive(writeAll(new ScriptedWriter(3), new Uint8Array(0))), "an empty buffer writes nothing").toBeUndefined();
  });

  it("copy moves everything, flushes, resolves to the count, and leaves the writer open", () => {
    const data = pattern(20_000, 5);
    const reader = new ScriptedReader([data.subarray(0, 7000), data.subarray(7000, 7001), data.subarray(7001)]);
    const w = new ScriptedWriter(Infinity);
    expect(drive(copy(reader, w))).toBe(20_000);
    expect(Buffer.from(Uint8Array.from(w.got)).equals(Buffer.from(data))).toBe(true);
    expect(Math.max(...w.writes), "through a buffer of 8 KiB").toBe(DEFAULT_BUF_SIZE);
    expect(w.flushes, "flushed at the end").toBeGreaterThanOrEqual(1);
    expect(w.shutdowns, "copy does not shut the writer down").toBe(0);
    expect(errorOf(() => drive(copy(new ScriptedReader([bytes("abc")]), new ScriptedWriter(3, 0))))).toBe(
      "WriteZero: write zero byte into writer",
    );
  });

  it("echo over the simulated network: seeded clients with small buffers get back exactly what they sent", async () => {
    for (const seed of seeds(3, 11)) {
      await withSeed(seed, async () => {
        const net = new SimNetwork({ bufferSize: [1, 64], seed });
        const results = await run(net, function* () {
          const server = yield* echoServer("10.2.2.2:7");
          const clients = [0, 1, 2, 3, 4, 5].map((c) =>
            spawn(
              asyncBlock(function* () {
                using s = yield* TcpStream.connect(server.addr);
                const sent = pattern(300 + c * 97, seed + c);
                const writer = spawn(
                  asyncBlock(function* () {
                    yield* writeAll(s, sent);
                    yield* s.shutdown();
                  }),
                );
                const back = yield* readToEnd(s);
                yield* writer;
                return Buffer.from(back).equals(Buffer.from(sent)) ? back.length : `mismatch (${back.length} bytes back)`;
              }),
            ),
          );
          const out = [];
          for (const h of clients) out.push(yield* h);
          server.task.abort();
          server.listener.close();
          return out;
        });
        expect(results).toEqual([300, 397, 494, 591, 688, 785]);
      });
    }
  });

  it("echo over real loopback sockets: every byte comes back, and the sockets close", async () => {
    const results = await run(new NodeNetwork(), function* () {
      const server = yield* echoServer("127.0.0.1:0");
      const clients = [0, 1, 2, 3].map((c) =>
        spawn(
          asyncBlock(function* () {
            using s = yield* TcpStream.connect(server.addr);
            const sent = pattern(100_000 + c, c);
            const back = new Uint8Array(sent.length);
            const writer = spawn(writeAll(s, sent));
            yield* readExact(s, back);
            yield* writer;
            yield* s.shutdown();
            const rest = yield* readToEnd(s);
            return Buffer.from(back).equals(Buffer.from(sent)) && rest.length === 0 ? "ok" : "mismatch";
          }),
        ),
      );
      const out = [];
      for (const h of clients) out.push(yield* h);
      server.task.abort();
      server.listener.close();
      return out;
    });
    expect(results).toEqual(["ok", "ok", "ok", "ok"]);
  });
});
