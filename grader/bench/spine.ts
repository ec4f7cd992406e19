/**
 * The runtime's spine under load: spawning, yielding, waking and memory, on our runtimes and on Node's promises.
 * One workload per process; `grader/bench/run.ts` runs each in a fresh child and prints the table.
 *
 *     node --expose-gc --conditions=kata-ref-01 ... --import tsx grader/bench/spine.ts <workload> [n] [rounds] [contender,...]
 *
 * prints one line of JSON: `{ "rounds": { contender: [ns per op, ...] }, "errors": { contender: message } }`, or
 * for `memory`, `{ "memory": { contender: { heapPerTask, peakRssMb, rssGrowthMb } } }`.
 *
 * Workloads (ns per task, per message or per round trip):
 * - `spawn`: a task spawns `n` tasks that return at once, then joins them all, in order.
 *   Node: `n` calls of `async (i) => i`, then `Promise.all`.
 * - `spawn-yield`: the same, each task yields once first (`yieldNow()`; Node: `await null`).
 * - `mpsc`: a bounded channel of 128 slots, one producer task, one consumer task, `n` messages (the current-thread
 *   figures come from `grader/bench/channels.ts`; here the multi-thread runtime). Node: the idiomatic promise queue.
 * - `ping-pong`: two tasks send a number back and forth over two bounded(1) channels, `n` round trips.
 * - `memory`: `n` tasks that stay pending (spawned, polled once, waiting on a future that never completes);
 *   Node: `n` async functions awaiting a promise that never settles. One contender per process, since peak RSS
 *   is a property of the process: the heap retained per task (after a full GC) and the peak RSS.
 *
 * Contenders: `ct-sm` / `ct-gen` (current-thread runtime, tasks written as hand-written state machines or as
 * generator functions through `asyncFn`), `mt-sm` / `mt-gen` (multi-thread runtime, 4 logical workers), `node`.
 * The generator tasks are `asyncFn`s made once, as Node's are `async` functions made once: an `asyncBlock` (a
 * `function*` expression) inside the loop would make a closure, and V8 a prototype and two hidden classes, per
 * task (about 300 bytes), which says more about V8 than about either runtime.
 *
 * Rounds interleave the contenders after a warm-up at a tenth of `n`, with a full GC before each (`--expose-gc`).
 * Time is wall-clock time; `BENCH_CLOCK=cpu` in the environment measures the process's CPU time instead, which a
 * busy machine disturbs less (run with `--single-threaded-gc` so that it is the CPU time of one thread).
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { asyncFn } from "#kata/02-state-machines";
import type { Context } from "#kata/03-waker";
import type { JoinHandle } from "#kata/06-task";
import { Builder, spawn, type Runtime } from "#kata/09-work-stealing";
import { yieldNow } from "#kata/14-blocking";
import { idiomaticPingPong, idiomaticStream, pingPongTask, streamTask, type Style } from "./channel-tasks.ts";

/** Milliseconds, of wall-clock time or (BENCH_CLOCK=cpu) of CPU time. */
const now: () => number =
  process.env.BENCH_CLOCK === "cpu"
    ? () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      }
    : () => performance.now();

// ---------------------------------------------------------------------------------------------------------------
// Tasks written as state machines

/** A task that completes on its first poll. */
class Value extends FutureBase<number> {
  constructor(readonly i: number) {
    super();
  }

  poll(): Poll<number> {
    return this.i;
  }
}

/** A task that yields once (`yieldNow`), then completes. */
class YieldThenValue extends FutureBase<number> {
  #yield: Future<void> | null = null;

  constructor(readonly i: number) {
    super();
  }

  poll(cx: Context): Poll<number> {
    this.#yield ??= yieldNow();
    if (this.#yield.poll(cx) === Pending) return Pending;
    return this.i;
  }
}

/** Spawns `n` tasks made by `make` on its first poll, then awaits their handles in order; the sum of outputs. */
class SpawnAll extends FutureBase<number> {
  #handles: JoinHandle<number>[] | null = null;
  #next = 0;
  #sum = 0;

  constructor(
    readonly n: number,
    readonly make: (i: number) => Future<number>,
  ) {
    super();
  }

  poll(cx: Context): Poll<number> {
    if (this.#handles === null) {
      const hs: JoinHandle<number>[] = new Array(this.n);
      for (let i = 0; i < this.n; i++) hs[i] = spawn(this.make(i));
      this.#handles = hs;
    }
    const hs = this.#handles;
    while (this.#next < hs.length) {
      const v = hs[this.#next]!.poll(cx);
      if (v === Pending) return Pending;
      this.#sum += v;
      this.#next++;
    }
    return this.#sum;
  }
}

/** Never completes, and never stores a waker. */
class Never extends FutureBase<number> {
  poll(): Poll<number> {
    return Pending;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The same tasks written as generator functions

const genValue = asyncFn(function* (i: number) {
  return i;
});

const genYieldThenValue = asyncFn(function* (i: number) {
  yield* yieldNow();
  return i;
});

const genSpawnAll = asyncFn(function* (n: number, make: (i: number) => Future<number>) {
  const hs: JoinHandle<number>[] = new Array(n);
  for (let i = 0; i < n; i++) hs[i] = spawn(make(i));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += yield* hs[i]!;
  return sum;
});

const never = new Never();
const genPending = asyncFn(function* () {
  return yield* never;
});

// ---------------------------------------------------------------------------------------------------------------
// Contenders

function runtime(flavor: "ct" | "mt"): Runtime {
  return flavor === "ct" ? Builder.newCurrentThread().build() : Builder.newMultiThread().workerThreads(4).rngSeed(1).build();
}

/** Runs `root` as a task on a fresh runtime; returns ns per op and checks the output. */
async function onRuntime(flavor: "ct" | "mt", n: number, expected: number, root: () => Future<number>): Promise<number> {
  const rt = runtime(flavor);
  try {
    const t0 = now();
    const out = await rt.blockOn(rt.spawn(root()));
    const ns = ((now() - t0) * 1e6) / n;
    if (out !== expected) throw new Error(`the tasks added up to ${out}, expected ${expected}`);
    return ns;
  } finally {
    rt.shutdown();
  }
}

const sumBelow = (n: number): number => (n * (n - 1)) / 2;

function spawnRoot(style: Style, n: number, yieldFirst: boolean): () => Future<number> {
  if (style === "sm") return () => new SpawnAll(n, yieldFirst ? (i) => new YieldThenValue(i) : (i) => new Value(i));
  return () => genSpawnAll(n, yieldFirst ? genYieldThenValue : genValue);
}

async function nodeSpawn(n: number, yieldFirst: boolean): Promise<number> {
  const task = yieldFirst
    ? async (i: number) => {
        await null;
        return i;
      }
    : async (i: number) => i;
  const t0 = now();
  const ps: Promise<number>[] = new Array(n);
  for (let i = 0; i < n; i++) ps[i] = task(i);
  const outs = await Promise.all(ps);
  const ns = ((now() - t0) * 1e6) / n;
  let sum = 0;
  for (const v of outs) sum += v;
  if (sum !== sumBelow(n)) throw new Error(`node: the tasks added up to ${sum}, expected ${sumBelow(n)}`);
  return ns;
}

async function nodeMpsc(n: number): Promise<number> {
  const t0 = now();
  const sum = await idiomaticStream(n, 128);
  const ns = ((now() - t0) * 1e6) / n;
  if (sum !== sumBelow(n)) throw new Error(`node: received a sum of ${sum}, expected ${sumBelow(n)}`);
  return ns;
}

async function nodePingPong(n: number): Promise<number> {
  const t0 = now();
  const sum = await idiomaticPingPong(n);
  const ns = ((now() - t0) * 1e6) / n;
  if (sum !== sumBelow(n)) throw new Error(`node: received a sum of ${sum}, expected ${sumBelow(n)}`);
  return ns;
}

type Contender = "ct-sm" | "ct-gen" | "mt-sm" | "mt-gen" | "node";
const ALL: Contender[] = ["ct-sm", "ct-gen", "mt-sm", "mt-gen", "node"];

/** One timed run of `workload` by `who`: ns per op. */
function timed(workload: string, who: Contender, n: number): Promise<number> {
  if (who === "node") {
    if (workload === "spawn" || workload === "spawn-yield") return nodeSpawn(n, workload === "spawn-yield");
    if (workload === "mpsc") return nodeMpsc(n);
    if (workload === "ping-pong") return nodePingPong(n);
  } else {
    const flavor = who.startsWith("ct") ? "ct" : "mt";
    const style: Style = who.endsWith("sm") ? "sm" : "gen";
    if (workload === "spawn" || workload === "spawn-yield") {
      return onRuntime(flavor, n, sumBelow(n), spawnRoot(style, n, workload === "spawn-yield"));
    }
    if (workload === "mpsc") return onRuntime(flavor, n, sumBelow(n), () => streamTask(style, n, 128));
    if (workload === "ping-pong") return onRuntime(flavor, n, sumBelow(n), () => pingPongTask(style, n));
  }
  throw new Error(`unknown workload ${workload}`);
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Warm-up at n/10, then `rounds` rounds with the contenders interleaved (reversed every other round). */
async function measure(workload: string, n: number, rounds: number, contenders: Contender[]): Promise<object> {
  const out: Record<string, number[]> = {};
  const errors: Record<string, string> = {};
  let live = contenders;
  for (const who of contenders) {
    try {
      await timed(workload, who, Math.max(1, Math.floor(n / 10)));
      out[who] = [];
    } catch (e) {
      errors[who] = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }
  live = contenders.filter((c) => out[c] !== undefined);
  for (let r = 0; r < rounds; r++) {
    for (const who of r % 2 === 0 ? live : [...live].reverse()) {
      gc?.();
      out[who]!.push(await timed(workload, who, n));
    }
  }
  return { rounds: out, errors };
}

/** `n` tasks left pending, one contender in this process: heap retained per task, peak RSS. */
async function memory(who: Contender, n: number): Promise<object> {
  if (gc === undefined) throw new Error("the memory workload needs --expose-gc");
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  let heapPerTask = 0;
  let peakRssMb = 0;
  // Peak RSS first: the full GC that measures the heap may itself need room (it compacts).
  const measureHeap = (): void => {
    peakRssMb = process.resourceUsage().maxRSS / 1024;
    gc();
    heapPerTask = (process.memoryUsage().heapUsed - heap0) / n;
  };
  if (who === "node") {
    const never = new Promise<number>(() => {});
    const pending = async (): Promise<number> => await never;
    const ps: Promise<number>[] = new Array(n);
    for (let i = 0; i < n; i++) ps[i] = pending();
    measureHeap();
    if (ps.length !== n) throw new Error("unreachable");
  } else {
    const rt = runtime(who.startsWith("ct") ? "ct" : "mt");
    const sm = who.endsWith("sm");
    try {
      await rt.blockOn(
        rt.spawn(
          asyncFn(function* () {
            const hs: JoinHandle<number>[] = new Array(n);
            for (let i = 0; i < n; i++) hs[i] = spawn(sm ? new Never() : genPending());
            // Every task has been polled once (and is waiting) by the time this task runs again.
            yield* yieldNow();
            yield* yieldNow();
            measureHeap();
            return hs.length;
          })(),
        ),
      );
    } finally {
      rt.shutdown();
    }
  }
  return { memory: { [who]: { heapPerTask, peakRssMb, rssGrowthMb: peakRssMb - rss0 / 2 ** 20 } } };
}

const [workload = "spawn", nArg, roundsArg, only] = process.argv.slice(2);
const n = Number(nArg ?? 1_000_000);
const rounds = Number(roundsArg ?? 5);
const contenders = only === undefined ? ALL : (only.split(",") as Contender[]);
const result = workload === "memory" ? await memory(contenders[0]!, n) : await measure(workload, n, rounds, contenders);
process.stdout.write(JSON.stringify(result) + "\n");
// A runtime that failed half-way may leave a timer or a parked promise behind: the answer is out, so leave.
process.exit(0);
