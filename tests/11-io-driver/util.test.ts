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
import { budget, budgetRemaining, pollProceed } from "#kata/14-blocking";
import {
  DEFAULT_BUF_SIZE,
  TcpStream,
  copy,
  flush,
  readExact,
  readToEnd,
  writeAll,
  type AsyncRead,
  type AsyncWrite,
} from "#kata/11-io-driver";
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

type ReadStep = "pending" | "eof" | Uint8Array | Error;

/**
 * A reader that plays the steps the test queued, one per call, and logs each call as "read <room> → <result>".
 * A read into an empty buffer reads 0 (as a socket's does) without using a step; a call with no step queued is
 * logged as unscripted and returns Pending.
 */
class StepReader implements AsyncRead {
  readonly steps: ReadStep[] = [];

  constructor(readonly log: string[]) {}

  pollRead(_cx: Context, buf: Uint8Array): Poll<number> {
    if (buf.length === 0) {
      this.log.push("read 0 → 0");
      return 0;
    }
    const step = this.steps.shift();
    if (step === undefined || step === "pending") {
      this.log.push(`read ${buf.length} → pending${step === undefined ? " (unscripted)" : ""}`);
      return Pending;
    }
    if (step instanceof Error) {
      this.log.push(`read ${buf.length} → throws`);
      throw step;
    }
    const n = step === "eof" ? 0 : Math.min(step.length, buf.length);
    if (step !== "eof") buf.set(step.subarray(0, n));
    this.log.push(`read ${buf.length} → ${n}`);
    return n;
  }
}

/**
 * A writer that plays queued steps: a write step is "pending" or the most bytes it accepts; a flush step is
 * "pending" or "ready". Unscripted writes are Pending, unscripted flushes ready. Every call is logged.
 */
class StepWriter implements AsyncWrite {
  readonly writeSteps: ("pending" | number | Error)[] = [];
  readonly flushSteps: ("pending" | "ready")[] = [];
  readonly got: number[] = [];

  constructor(readonly log: string[]) {}

  pollWrite(_cx: Context, buf: Uint8Array): Poll<number> {
    const step = this.writeSteps.shift();
    if (step instanceof Error) {
      this.log.push(`write ${buf.length} → throws`);
      throw step;
    }
    if (step === undefined || step === "pending") {
      this.log.push(`write ${buf.length} → pending${step === undefined ? " (unscripted)" : ""}`);
      return Pending;
    }
    const n = Math.min(step, buf.length);
    for (let i = 0; i < n; i++) this.got.push(buf[i]!);
    this.log.push(`write ${buf.length} → ${n}`);
    return n;
  }

  pollFlush(_cx: Context): Poll<void> {
    const step = this.flushSteps.shift() ?? "ready";
    this.log.push(`flush → ${step}`);
    return step === "pending" ? Pending : undefined;
  }

  pollShutdown(_cx: Context): Poll<void> {
    this.log.push("shutdown");
    return undefined;
  }
}

/** A copy between a StepReader and a StepWriter, polled one step at a time with the steps each poll may use. */
function stepCopy() {
  const log: string[] = [];
  const reader = new StepReader(log);
  const writer = new StepWriter(log);
  const future = copy(reader, writer);
  const p = probe();
  return {
    reader,
    writer,
    p,
    /** Queues the steps, polls once, and returns the outcome, the calls made and the budget left. */
    step(reads: ReadStep[], writes: ("pending" | number | Error)[] = [], flushes: ("pending" | "ready")[] = []) {
      reader.steps.push(...reads);
      writer.writeSteps.push(...writes);
      writer.flushSteps.push(...flushes);
      log.length = 0;
      const out = future.poll(p.cx);
      return { out: out === Pending ? "pending" : out, calls: [...log], budget: budgetRemaining() };
    },
  };
}

describe("Task 5: I/O utilities", () => {
  it("readExact fills the buffer across partial reads and pending polls, and resolves to its length", () => {
    const reader = new ScriptedReader([bytes("ab"), bytes("cde"), bytes("fghij"), bytes("rest")]);
    const buf = new Uint8Array(9);
    expect(drive(readExact(reader, buf))).toBe(9);
    expect(text(buf), "text(buf)").toBe("abcdefghi");
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
    expect(all.length, "all.length").toBe(1001);
    expect(all[0]).toBe("x".charCodeAt(0));
    expect(Buffer.from(all.subarray(1)).equals(Buffer.from(big))).toBe(true);
    expect(drive(readToEnd(new ScriptedReader([]))).length).toBe(0);
  });

  it("writeAll keeps writing through partial and pending writes; a writer that takes nothing is WriteZero", () => {
    const w = new ScriptedWriter(3);
    expect(drive(writeAll(w, bytes("abcdefgh")))).toBeUndefined();
    expect(w.writes, "w.writes").toEqual([3, 3, 2]);
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

  it("flush(writer) polls pollFlush once per poll until it is ready", () => {
    const log: string[] = [];
    const w = new StepWriter(log);
    w.flushSteps.push("pending", "ready");
    const f = flush(w);
    const p = probe();
    expect(f.poll(p.cx), "f.poll(p.cx)").toBe(Pending);
    expect(f.poll(p.cx)).toBeUndefined();
    expect(log).toEqual(["flush → pending", "flush → ready"]);
  });

  it("copy, poll by poll: write what was read, keep the rest of a partial write, flush when the reader waits, count", () => {
    const c = stepCopy();
    const polls = budget(() => [
      c.step(["pending"]),
      c.step([bytes("abc"), "pending"], ["pending"]),
      c.step(["pending", "pending"], [2, "pending"]),
      c.step(["pending", "pending"], [1], ["ready"]),
      c.step(["pending"]),
      c.step([bytes("de"), "pending"], [5], ["pending"]),
      c.step(["pending"], [], ["ready"]),
      c.step(["eof"], [], ["pending"]),
      c.step([], [], ["ready"]),
    ]);
    expect(polls[0], "nothing read, nothing written: no flush, and the unit of budget is given back").toEqual({
      out: "pending",
      calls: ["read 8192 → pending"],
      budget: 128,
    });
    expect(polls[1], "read 3; the write is pending and there is room: read again first; a read spends the unit").toEqual({
      out: "pending",
      calls: ["read 8192 → 3", "write 3 → pending", "read 8189 → pending"],
      budget: 127,
    });
    expect(polls[2], "a pending read with data to write goes on to write; a partial write keeps the rest").toEqual({
      out: "pending",
      calls: ["read 8189 → pending", "write 3 → 2", "write 1 → pending", "read 8189 → pending"],
      budget: 126,
    });
    expect(polls[3], "all written: the buffer is empty again; the reader waits, so flush what was written").toEqual({
      out: "pending",
      calls: ["read 8189 → pending", "write 1 → 1", "read 8192 → pending", "flush → ready"],
      budget: 125,
    });
    expect(polls[4], "nothing written since that flush: no flush, no budget").toEqual({
      out: "pending",
      calls: ["read 8192 → pending"],
      budget: 125,
    });
    expect(polls[5], "a pending flush is tried again at the next poll").toEqual({
      out: "pending",
      calls: ["read 8192 → 2", "write 2 → 2", "read 8192 → pending", "flush → pending"],
      budget: 124,
    });
    expect(polls[6], "the flush that completes spends the unit").toEqual({
      out: "pending",
      calls: ["read 8192 → pending", "flush → ready"],
      budget: 123,
    });
    expect(polls[7], "the reader ended: flush before resolving; the flush is pending, and the read that found the end spent the unit").toEqual({
      out: "pending",
      calls: ["read 8192 → 0", "flush → pending"],
      budget: 122,
    });
    expect(polls[8], "no read after the end; the final flush completes and copy resolves to the count").toEqual({
      out: 5,
      calls: ["flush → ready"],
      budget: 121,
    });
    expect(text(Uint8Array.from(c.writer.got))).toBe("abcde");
  });

  it("copy reads only while there is room and the reader has not ended: otherwise it waits for the writer", () => {
    const full = stepCopy();
    const data = pattern(DEFAULT_BUF_SIZE, 7);
    expect(full.step([data], ["pending"]), "a full buffer and a pending write: no read (there is no room)").toEqual({
      out: "pending",
      calls: [`read 8192 → 8192`, "write 8192 → pending"],
      budget: undefined,
    });
    expect(full.step(["pending"], [DEFAULT_BUF_SIZE]), "still full at the start of the poll: write first, then read").toEqual({
      out: "pending",
      calls: ["write 8192 → 8192", "read 8192 → pending", "flush → ready"],
      budget: undefined,
    });
    expect(full.step(["eof"]).out).toBe(DEFAULT_BUF_SIZE);
    expect(Buffer.from(Uint8Array.from(full.writer.got)).equals(Buffer.from(data))).toBe(true);

    const ended = stepCopy();
    expect(ended.step([bytes("abc"), "eof"], ["pending"]), "the read while the write is pending finds the end").toEqual({
      out: "pending",
      calls: ["read 8192 → 3", "write 3 → pending", "read 8189 → 0"],
      budget: undefined,
    });
    expect(ended.step([], ["pending"]), "the reader has ended: it is not read again").toEqual({
      out: "pending",
      calls: ["write 3 → pending"],
      budget: undefined,
    });
    expect(ended.step([], [3]), "the rest is written, flushed, and counted").toEqual({
      out: 3,
      calls: ["write 3 → 3", "flush → ready"],
      budget: undefined,
    });
  });

  it("copy with no budget left returns Pending without reading; an error still spends the unit", () => {
    const starved = stepCopy();
    const out = budget(() => {
      for (let i = 0; i < 128; i++) pollProceed(starved.p.cx);
      return starved.step([bytes("abc")]);
    });
    expect(out, "out of budget: nothing is polled").toEqual({ out: "pending", calls: [], budget: 0 });
    expect(starved.p.stats.wakes, "the task is woken to try again later").toBe(1);

    const failing = stepCopy();
    const reset = new IoError("ConnectionReset", "Connection reset by peer (os error 104)");
    const after = budget(() => {
      let caught: unknown = null;
      try {
        failing.step([reset]);
      } catch (e) {
        caught = e;
      }
      return { caught, budget: budgetRemaining() };
    });
    expect(after.caught, "the reader's error comes out of copy unchanged").toBe(reset);
    expect(after.budget, "a read that throws counts as progress: the unit stays spent").toBe(127);
  });

  it("copy gives the unit back when only the writer's error ended the poll, as Tokio's `?` after poll_write does", () => {
    const c = stepCopy();
    const broken = new IoError("BrokenPipe", "Broken pipe (os error 32)");
    const first = budget(() => c.step([bytes("abc"), "pending"], ["pending"]));
    expect(first, "read 3, the write is pending").toMatchObject({ out: "pending" });
    const after = budget(() => {
      let caught: unknown = null;
      try {
        c.step(["pending"], [broken]);
      } catch (e) {
        caught = e;
      }
      return { caught, budget: budgetRemaining() };
    });
    expect(after.caught, "the writer's error comes out of copy unchanged").toBe(broken);
    expect(after.budget, "no read returned and nothing was written or flushed: the unit is given back").toBe(128);
  });
});
