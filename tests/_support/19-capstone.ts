/**
 * Test helpers for chapter 19: a clock the test moves by hand, a future scripted poll by poll, runtimes on a
 * paused clock (with the simulated network), raw RESP over simulated sockets, and a mini-redis server on real
 * loopback TCP for the `redis` client.
 */
import { expect } from "vitest";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import type { Context, Waker, WakerRef } from "#kata/03-waker";
import { Builder } from "#kata/09-work-stealing";
import { SimNetwork } from "#kata/10-mio";
import { readExact, writeAll, type TcpStream } from "#kata/11-io-driver";
import { Notify } from "#kata/17-broadcast-watch";
import { branch, select } from "#kata/18-select-cancel";
import { runServer, type ServerReport } from "#kata/19-capstone";
import { serve, type Served } from "./served.ts";

/** A clock that moves only when the test says: `now()` is `t`. */
export class ManualClock {
  t = 0;
  readonly now = (): number => this.t;

  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * A future driven by a script, one step per poll: each step may take `busy` ms of the clock, may keep a clone of
 * the waker (`keep`), drop the one it kept (`dropKept`), wake itself by reference during the poll (`selfWake`), and
 * ends the poll with `"pending"` or `"ready"`. `kept` is the waker it holds, for the test to wake.
 */
export interface Step {
  busy?: number;
  keep?: boolean;
  dropKept?: boolean;
  selfWake?: boolean;
  during?: () => void;
  then: "pending" | "ready";
}

export class Scripted extends FutureBase<string> {
  kept: Waker | null = null;
  /** The waker of each poll's context. */
  readonly wakers: WakerRef[] = [];
  polls = 0;
  disposed = 0;
  readonly #steps: Step[];

  constructor(
    readonly clock: ManualClock | null,
    steps: Step[],
  ) {
    super();
    this.#steps = steps;
  }

  poll(cx: Context): Poll<string> {
    const step = this.#steps[this.polls++];
    if (step === undefined) throw new Error(`Scripted polled ${this.polls} times, but has ${this.#steps.length} steps`);
    this.wakers.push(cx.waker);
    if (step.busy !== undefined) this.clock!.advance(step.busy);
    if (step.dropKept === true) {
      this.kept?.drop();
      this.kept = null;
    }
    if (step.keep === true) {
      this.kept?.drop();
      this.kept = cx.waker.clone();
    }
    if (step.selfWake === true) cx.waker.wakeByRef();
    step.during?.();
    return step.then === "ready" ? "done" : Pending;
  }

  [Symbol.dispose](): void {
    this.disposed++;
  }
}

export interface RuntimeOptions {
  /** The simulated network (default: none, I/O disabled). */
  network?: SimNetwork;
  /** Multi-thread with this many logical workers (seeded); default current-thread. */
  workers?: number;
  /** Default true: a paused clock that auto-advances. */
  paused?: boolean;
  /** The runtime's seed for its random numbers (the multi-thread runtime's default: 7). */
  seed?: number;
}

/** Runs `body` as the main future of a fresh runtime (paused clock by default) and shuts the runtime down. */
export async function onRuntime<T>(body: () => AsyncGen<T>, opts: RuntimeOptions = {}): Promise<T> {
  const builder = opts.workers === undefined ? Builder.newCurrentThread() : Builder.newMultiThread().workerThreads(opts.workers).rngSeed(7);
  if (opts.seed !== undefined) builder.rngSeed(opts.seed);
  builder.enableTime();
  if (opts.paused !== false) builder.startPaused(true);
  if (opts.network !== undefined) builder.enableIo().network(opts.network);
  const rt = builder.build();
  try {
    return await rt.blockOn(asyncBlock(body));
  } finally {
    rt.shutdown();
  }
}

/**
 * Ends a test's client side as soon as a server-side task it watches fails, with that task's error: a client must
 * not wait (until the test times out) for a server that died, for instance of a stub's not-implemented error.
 */
export class Watchdog {
  #failure: { error: unknown } | null = null;
  readonly #failed = new Notify();

  /** `future`, reporting its error (then rethrowing it). */
  watch<T>(future: Future<T>): Future<T> {
    const self = this;
    return asyncBlock(function* () {
      try {
        return yield* future;
      } catch (e) {
        self.#failure ??= { error: e };
        self.#failed.notifyOne();
        throw e;
      }
    });
  }

  /** Runs `body` until it completes, or until a watched future fails (then throws that failure). */
  run<T>(body: () => AsyncGen<T>): Future<T> {
    return select<T>(
      [
        branch(asyncBlock(body), (v) => v),
        branch(this.#failed.notified(), () => {
          throw this.#failure!.error;
        }),
      ],
      { biased: true },
    );
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The RESP request a client sends for a command: an array of bulk strings. */
export function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${encoder.encode(a).length}\r\n${a}\r\n`).join("")}`;
}

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Writes `raw` on the stream. */
export function* send(stream: TcpStream, raw: string): AsyncGen<void> {
  yield* writeAll(stream, encoder.encode(raw));
}

/** Reads exactly as many bytes as `expected` has, and checks they are those bytes. */
export function* expectReply(stream: TcpStream, expected: string, what = "the reply"): AsyncGen<void> {
  const buf = new Uint8Array(encoder.encode(expected).length);
  yield* readExact(stream, buf);
  expect(text(buf), what).toBe(expected);
}

/** RESP of a bulk-string array reply, e.g. `["subscribe", "news", 1]` (numbers become integers, null a null bulk). */
export function reply(items: (string | number | null)[]): string {
  return `*${items.length}\r\n${items
    .map((i) => (i === null ? "$-1\r\n" : typeof i === "number" ? `:${i}\r\n` : `$${encoder.encode(i).length}\r\n${i}\r\n`))
    .join("")}`;
}

export interface RedisServer extends Served<ServerReport> {
  url: string;
}

/** A mini-redis server on real loopback TCP (127.0.0.1, a free port), on a runtime of the given flavour. */
export async function startRedis(flavor: "current_thread" | "multi_thread", maxConnections?: number): Promise<RedisServer> {
  const builder = flavor === "current_thread" ? Builder.newCurrentThread() : Builder.newMultiThread().workerThreads(2).rngSeed(11);
  const served = await serve(builder.enableAll().build(), (listener, shutdown) => runServer(listener, { shutdown, maxConnections }));
  return { ...served, url: `redis://127.0.0.1:${served.port}` };
}
