/**
 * Hidden suite of chapter 18, task 4: cancel safety. Chapter 11's `readExact` loses bytes when a select drops it;
 * `FramedRead` keeps them; `mpsc` recv loses nothing, send loses its message; `byRef` keeps a future (a deadline, a
 * oneshot receiver) alive across selects; `FramedRead` and `LinesCodec` in detail.
 */
import { describe, expect, it } from "vitest";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { IoError, SimNetwork, type SocketAddr } from "#kata/10-mio";
import { TcpListener, TcpStream, readExact, writeAll } from "#kata/11-io-driver";
import { now, sleep } from "#kata/13-time";
import { yieldNow } from "#kata/14-blocking";
import { mpsc, oneshot } from "#kata/16-channels";
import { FramedRead, LinesCodec, branch, byRef, select, type Decoder } from "#kata/18-select-cancel";
import { pattern, run } from "../_support/11-io-driver.ts";
import { paused } from "../_support/13-time.ts";
import { Gate, bytes, fixedFrames, text } from "../_support/18-select-cancel.ts";
import { probe } from "../_support/poll.ts";

/** On a paused runtime over a fresh simulated network: a peer that runs `client(addr)`, and `server(stream)`. */
function overNetwork<T>(
  client: (addr: SocketAddr) => AsyncGen<void>,
  server: (stream: TcpStream) => AsyncGen<T>,
  network = new SimNetwork(),
): Promise<T> {
  return run(
    network,
    function* () {
      const listener = yield* TcpListener.bind("127.0.0.1:0");
      const addr = listener.localAddr();
      spawn(asyncBlock(() => client(addr)));
      const [stream] = yield* listener.accept();
      listener.close();
      using s = stream;
      return yield* server(s);
    },
    { paused: true },
  );
}

/**
 * Writes each chunk, waiting `gap` ms after each, then shuts the stream down. After each write it yields, so that
 * the runtime turns its I/O driver (the reader sees the bytes) before it parks: a paused clock auto-advances when
 * the runtime parks, as Tokio's does, and the reader would only be polled at the next timer.
 */
function* writeSlowly(addr: SocketAddr, chunks: string[], gap: number): AsyncGen<void> {
  using s = yield* TcpStream.connect(addr);
  for (const chunk of chunks) {
    yield* writeAll(s, bytes(chunk));
    yield* yieldNow();
    yield* sleep(gap);
  }
  yield* s.shutdown();
  yield* yieldNow();
}

function* writeAndClose(addr: SocketAddr, data: Uint8Array): AsyncGen<void> {
  using s = yield* TcpStream.connect(addr);
  yield* writeAll(s, data);
  yield* s.shutdown();
}

const SLOW = ["abcd", "efgh", "ijkl", "mnop"];

describe("Task 4: Cancel safety", () => {
  it("chapter 11's readExact, dropped by a select mid-way, loses the bytes it had read", async () => {
    const log = await overNetwork(
      (addr) => writeSlowly(addr, SLOW, 30),
      function* (stream) {
        const out: string[] = [];
        for (;;) {
          const buf = new Uint8Array(8);
          try {
            const event = yield* select<string>(
              [branch(readExact(stream, buf), () => text(buf)), branch(sleep(25), () => "tick")],
              { biased: true },
            );
            out.push(`${event} at ${now()}`);
          } catch (e) {
            out.push(`${(e as Error).message} at ${now()}`);
            return out;
          }
        }
      },
    );
    expect(log, "every 4-byte piece was read into a buffer that was then dropped").toEqual([
      "tick at 25",
      "tick at 50",
      "tick at 75",
      "tick at 100",
      "early eof at 120",
    ]);
  });

  it("FramedRead, dropped the same way, keeps every byte for the next call", async () => {
    const log = await overNetwork(
      (addr) => writeSlowly(addr, SLOW, 30),
      function* (stream) {
        const frames = new FramedRead(stream, fixedFrames(8));
        const out: string[] = [];
        for (;;) {
          const event = yield* select<string>(
            [
              branch(frames.next(), (f) => (f === undefined ? "end" : text(f))),
              branch(sleep(25), () => "tick"),
            ],
            { biased: true },
          );
          out.push(`${event} at ${now()}`);
          if (event === "end") return out;
        }
      },
    );
    expect(log).toEqual([
      "tick at 25",
      "abcdefgh at 30",
      "tick at 55",
      "tick at 80",
      "ijklmnop at 90",
      "tick at 115",
      "end at 120",
    ]);
  });

  it("mpsc recv in a select loop loses no message, however often it is dropped", async () => {
    const out = await paused(function* () {
      const [tx, rx] = mpsc.channel<number>(4);
      spawn(
        asyncBlock(function* () {
          for (let i = 1; i <= 10; i++) {
            yield* sleep(7);
            yield* tx.send(i);
          }
          tx[Symbol.dispose]();
        }),
      );
      const got: number[] = [];
      let ticks = 0;
      for (;;) {
        const event = yield* select<number | "tick" | "closed">(
          [branch(rx.recv(), (m) => m ?? "closed"), branch(sleep(5), () => "tick" as const)],
          { biased: true },
        );
        if (event === "closed") return { got, ticks };
        if (event === "tick") ticks++;
        else got.push(event);
      }
    });
    expect(out.got, "out.got").toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(out.ticks, "the recv branch lost many times").toBeGreaterThanOrEqual(10);
  });

  it("a recv that was waiting and loses the race leaves its message in the channel", async () => {
    const out = await paused(function* () {
      const [tx, rx] = mpsc.unboundedChannel<string>();
      const gate = new Gate<string>();
      const p = probe();
      const s = select<string>([branch(gate, (g) => `gate ${g}`), branch(rx.recv(), (m) => `recv ${m}`)], { biased: true });
      const first = p.poll(s);
      tx.send("kept");
      gate.open("first");
      const second = p.poll(s);
      return { first: typeof first, second, left: rx.tryRecv() };
    });
    expect(out).toEqual({ first: "symbol", second: "gate first", left: "kept" });
  });

  it("mpsc send is not cancel-safe: a send that loses the race loses its message", async () => {
    const out = await paused(function* () {
      const [tx, rx] = mpsc.channel<string>(1);
      yield* tx.send("a");
      const event = yield* select<string>([branch(tx.send("b"), () => "sent"), branch(sleep(10), () => "gave up")]);
      const first = yield* rx.recv();
      let second: string;
      try {
        second = rx.tryRecv();
      } catch (e) {
        second = (e as Error).name;
      }
      return { event, first, second };
    });
    expect(out).toEqual({ event: "gave up", first: "a", second: "TryRecvError" });
  });

  it("a oneshot receiver raced through byRef survives every select; raced directly it is dropped and closed", async () => {
    const out = await paused(function* () {
      const [tx1, rx1] = oneshot.channel<number>();
      const [tx2, rx2] = oneshot.channel<number>();
      const sends: string[] = [];
      spawn(
        asyncBlock(function* () {
          yield* sleep(50);
          for (const [name, tx] of [["byRef", tx1], ["direct", tx2]] as const) {
            try {
              tx.send(7);
              sends.push(`${name} sent`);
            } catch (e) {
              sends.push(`${name} ${(e as Error).name}`);
            }
          }
        }),
      );
      const log: string[] = [];
      log.push(yield* select<string>([branch(rx2, (v) => `direct ${v}`), branch(sleep(20), () => "tick")]));
      for (;;) {
        const event = yield* select<string>([branch(byRef(rx1), (v) => `value ${v}`), branch(sleep(20), () => "tick")]);
        log.push(`${event} at ${now()}`);
        if (event.startsWith("value")) break;
      }
      yield* sleep(1);
      return { log, sends };
    });
    expect(out.log, "out.log").toEqual(["tick", "tick at 40", "value 7 at 50"]);
    expect(out.sends, "out.sends").toEqual(["byRef sent", "direct SendError"]);
  });

  it("byRef keeps one deadline across the turns of a loop", async () => {
    const out = await paused(function* () {
      const [tx, rx] = mpsc.unboundedChannel<string>();
      spawn(
        asyncBlock(function* () {
          for (let i = 0; i < 10; i++) {
            yield* sleep(30);
            tx.send(`m${i}`);
          }
        }),
      );
      const deadline = sleep(100);
      const got: string[] = [];
      for (;;) {
        const m = yield* select<string | undefined>([
          branch(rx.recv(), (v) => v),
          branch(byRef(deadline), () => undefined),
        ]);
        if (m === undefined) break;
        got.push(`${m} at ${now()}`);
      }
      return { got, at: now(), deadlineElapsed: deadline.isElapsed() };
    });
    expect(out).toEqual({ got: ["m0 at 30", "m1 at 60", "m2 at 90"], at: 100, deadlineElapsed: true });
  });

  it("LinesCodec: lines split across tiny reads, CRLF or LF, and a last line with no newline", async () => {
    const lines = await overNetwork(
      (addr) => writeAndClose(addr, bytes("hello\r\nwor" + "ld\n\nlast")),
      function* (stream) {
        const framed = new FramedRead(stream, new LinesCodec());
        const out: (string | undefined)[] = [];
        for (let i = 0; i < 6; i++) out.push(yield* framed.next());
        return out;
      },
      new SimNetwork({ bufferSize: 3 }),
    );
    expect(lines).toEqual(["hello", "world", "", "last", undefined, undefined]);
  });

  it("LinesCodec.decodeEof: a whole line first; then what is left is the last line, without a final \\r; nothing or a lone \\r is no line", () => {
    const codec = new LinesCodec();
    expect(codec.decodeEof(bytes("a\nb")), "a whole line comes first").toEqual(["a", 2]);
    expect(codec.decodeEof(bytes("last\r")), "a last line loses its final \\r").toEqual(["last", 5]);
    expect(codec.decodeEof(bytes("x")), "a last line with no newline").toEqual(["x", 1]);
    expect(codec.decodeEof(bytes("\r")), "a lone \\r").toBeUndefined();
    expect(codec.decodeEof(bytes("")), "nothing left").toBeUndefined();
  });

  it("many small frames across the 8 KiB buffer: the unread bytes move to the front and nothing is lost or added", async () => {
    const sent = Array.from({ length: 400 }, (_, i) => `line ${i} ${"x".repeat(i % 37)}`);
    const lines = await overNetwork(
      (addr) => writeAndClose(addr, bytes(sent.join("\n") + "\n")),
      function* (stream) {
        const framed = new FramedRead(stream, new LinesCodec());
        const out: string[] = [];
        for (let line = yield* framed.next(); line !== undefined; line = yield* framed.next()) out.push(line);
        return out;
      },
      new SimNetwork({ bufferSize: 1000 }),
    );
    expect(lines.length, "lines.length").toBe(sent.length);
    expect(lines.findIndex((line, i) => line !== sent[i]), "the first line that differs from what was sent").toBe(-1);
  });

  it("at the end of the stream: undefined once nothing is left, and an error if part of a frame is left", async () => {
    const frames = await overNetwork(
      (addr) => writeAndClose(addr, bytes("abcdefgh")),
      function* (stream) {
        const framed = new FramedRead(stream, fixedFrames(4));
        const out: (string | undefined)[] = [];
        for (let i = 0; i < 4; i++) {
          const f = yield* framed.next();
          out.push(f === undefined ? undefined : text(f));
        }
        return out;
      },
    );
    expect(frames).toEqual(["abcd", "efgh", undefined, undefined]);

    const partial = await overNetwork(
      (addr) => writeAndClose(addr, bytes("abcdefg")),
      function* (stream) {
        const framed = new FramedRead(stream, fixedFrames(4));
        const first = text((yield* framed.next())!);
        try {
          yield* framed.next();
          return { first, error: "none" };
        } catch (e) {
          return { first, error: `${(e as IoError).kind}: ${(e as Error).message}`, left: text(framed.buffered()) };
        }
      },
    );
    expect(partial).toEqual({ first: "abcd", error: "Other: bytes remaining on stream", left: "efg" });
  });

  it("a frame larger than the buffer grows it; buffered() holds what is not yet a frame", async () => {
    const body = pattern(20_000, 3);
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, body.length);
    const lengthPrefixed: Decoder<Uint8Array> = {
      decode(buf) {
        if (buf.length < 4) return undefined;
        const n = new DataView(buf.buffer, buf.byteOffset, 4).getUint32(0);
        return buf.length < 4 + n ? undefined : [buf.slice(4, 4 + n), 4 + n];
      },
      decodeEof: () => undefined,
    };
    const out = await overNetwork(
      (addr) => writeAndClose(addr, new Uint8Array([...header, ...body, 0, 0])),
      function* (stream) {
        const framed = new FramedRead(stream, lengthPrefixed);
        const frame = (yield* framed.next())!;
        const same = frame.length === body.length && frame.every((b, i) => b === body[i]);
        const end = yield* framed.next();
        return { same, end, left: [...framed.buffered()] };
      },
      new SimNetwork({ bufferSize: 1000 }),
    );
    expect(out).toEqual({ same: true, end: undefined, left: [0, 0] });
  });

  it("an error thrown by the decoder comes out of next()", async () => {
    const strict: Decoder<string> = {
      decode(buf) {
        if (buf.includes(0x21)) throw new Error("no ! allowed");
        return buf.length >= 2 ? [text(buf.subarray(0, 2)), 2] : undefined;
      },
    };
    const out = await overNetwork(
      (addr) => writeAndClose(addr, bytes("ok!!")),
      function* (stream) {
        const framed = new FramedRead(stream, strict);
        try {
          return yield* framed.next();
        } catch (e) {
          return (e as Error).message;
        }
      },
    );
    expect(out).toBe("no ! allowed");
  });
});
