/**
 * CPU-bound work on an async runtime, measured (chapter 14; seed 9.2, 9.3, 16.2). Nothing here is asserted.
 *
 *     npx tsx --conditions=kata-ref-01 ... --conditions=kata-ref-19 grader/bench/cpu-hog.ts [hogMs] [tickers] [rounds]
 *
 * (all nineteen `kata-ref-NN` conditions run the reference solutions; with none it runs the learner's chapters).
 *
 * Part 1, the hog. `tickers` tasks each repeat: spin for TICK_US of CPU, count one unit, `yieldNow()`. That is a
 * well-behaved I/O-ish workload. Then a hog task does `hogMs` of CPU work in four ways, and we count the tickers'
 * units while the hog runs, against the same window without a hog, and the longest a ticker went without a unit in
 * that window (its latency: what a task stuck behind the hog feels):
 * - `spawn`, never awaiting: one poll of `hogMs`;
 * - `spawn` with `yieldNow()` after every millisecond of work (seed 9.2's manual yield);
 * - `spawn` with `consumeBudget()` after every 0.1 ms of work: it yields only when the budget (128) is spent;
 * - `spawnBlocking`: the same loop's source, run on a pool thread.
 * Each runs on the current-thread runtime (chapter 07) and on the multi-thread runtime with 4 logical workers
 * (chapter 09). On the current-thread runtime units per second are real time, on whatever core the machine lends us.
 * The 4 logical workers share one JavaScript thread, so in real time a hog stops all four; the multi-thread half
 * therefore runs with the timed interleaving (`KATA_INTERLEAVING=timed`, chapter 09's `multi-thread.ts`), which
 * models 4 cores at poll granularity, and its windows and rates are in that model's virtual time. (A blocking job
 * runs on a real thread, at real speed, so the `spawnBlocking` window is short in virtual time: its rate is what
 * counts.) A learner's runtime without the timed interleaving falls back to real time.
 *
 * Part 2, pool exhaustion (seed 16.2). 32 blocking jobs that each block their thread for 100 ms, on pools capped at
 * 4 and at 16 threads: the peak queue length (sampled every 10 ms by a task), the threads started, and the time
 * until the last job is done.
 */
import { availableParallelism, loadavg } from "node:os";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, spawn, type MultiThreadHandle, type Runtime } from "#kata/09-work-stealing";
import { sleep } from "#kata/13-time";
import { consumeBudget, spawnBlocking, yieldNow } from "#kata/14-blocking";
import type { JoinHandle } from "#kata/06-task";

const HOG_MS = Number(process.argv[2] ?? 400);
const TICKERS = Number(process.argv[3] ?? 8);
const ROUNDS = Number(process.argv[4] ?? 3);
const TICK_US = 20;

/** Burns `ms` of CPU (self-contained: its source is shipped to pool threads as it is). */
function burn(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}

type HogKind = "none" | "spawn, never awaits" | "spawn + yieldNow every 1 ms" | "spawn + consumeBudget" | "spawnBlocking";

interface Outcome {
  units: number;
  windowMs: number;
  /** The longest time between two units of one ticker, ending in the hog's window. */
  maxGapMs: number;
}

/**
 * The clock of `rt`'s measurements: the timed interleaver's virtual time (the start of the step under way) on a
 * multi-thread runtime built with it, else real time.
 */
function clockOf(rt: Runtime): () => number {
  const scheduler = (rt.handle().inner as Partial<MultiThreadHandle>).scheduler as { virtualTime?: number } | undefined;
  if (scheduler?.virtualTime === undefined || process.env.KATA_INTERLEAVING !== "timed") return () => performance.now();
  return () => scheduler.virtualTime!;
}

/** Runs the tickers, starts the hog, and counts the tickers' units from the hog's start to its end. */
function scenario(rt: Runtime, kind: HogKind): Promise<Outcome> {
  const now = clockOf(rt);
  return rt.blockOn(
    asyncBlock(function* () {
      let units = 0;
      // The window: from the hog's start to its end (Infinity while it runs). A gap between two units of a ticker
      // counts if it overlaps the window, so the root waits, after the window, until every ticker has had a unit.
      let started = Infinity;
      let ended = Infinity;
      let unitsAfterWindow = 0;
      let maxGapMs = 0;
      let stop = false;
      const tickers: JoinHandle<void>[] = [];
      for (let t = 0; t < TICKERS; t++) {
        tickers.push(
          spawn(
            asyncBlock(function* () {
              let last = now();
              let reported = false;
              while (!stop) {
                burn(TICK_US / 1000);
                units++;
                const t = now();
                if (t > started && last < ended && t - last > maxGapMs) maxGapMs = t - last;
                if (t > ended && !reported) {
                  reported = true;
                  unitsAfterWindow++;
                }
                last = t;
                yield* yieldNow();
              }
            }),
          ),
        );
      }
      yield* sleep(50); // let the tickers get going
      const before = units;
      started = now();
      switch (kind) {
        case "none":
          yield* sleep(HOG_MS);
          break;
        case "spawn, never awaits":
          yield* spawn(asyncBlock(function* () {
            burn(HOG_MS);
          }));
          break;
        case "spawn + yieldNow every 1 ms":
          yield* spawn(
            asyncBlock(function* () {
              for (let i = 0; i < HOG_MS; i++) {
                burn(1);
                yield* yieldNow();
              }
            }),
          );
          break;
        case "spawn + consumeBudget":
          yield* spawn(
            asyncBlock(function* () {
              for (let i = 0; i < HOG_MS * 10; i++) {
                burn(0.1);
                yield* consumeBudget();
              }
            }),
          );
          break;
        case "spawnBlocking":
          yield* spawnBlocking(burn, HOG_MS);
          break;
      }
      ended = now();
      const during = units - before;
      while (unitsAfterWindow < TICKERS) yield* yieldNow();
      stop = true;
      for (const t of tickers) yield* t;
      return { units: during, windowMs: ended - started, maxGapMs };
    }),
  );
}

const KINDS = ["none", "spawn, never awaits", "spawn + yieldNow every 1 ms", "spawn + consumeBudget", "spawnBlocking"] as const;

async function part1(flavour: "current_thread" | "multi_thread (4 logical workers)"): Promise<void> {
  const build = () =>
    (flavour === "current_thread" ? Builder.newCurrentThread() : Builder.newMultiThread().workerThreads(4).rngSeed(7))
      .enableTime()
      .build();
  if (flavour === "current_thread") delete process.env.KATA_INTERLEAVING;
  else process.env.KATA_INTERLEAVING = "timed";
  // Rounds interleave the scenarios, so that a noisy neighbour slows them alike; figures are medians.
  const rates = new Map<HogKind, number[]>(KINDS.map((k) => [k, []]));
  const ratios = new Map<HogKind, number[]>(KINDS.map((k) => [k, []]));
  const windows = new Map<HogKind, number[]>(KINDS.map((k) => [k, []]));
  const gaps = new Map<HogKind, number[]>(KINDS.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    let baseline = 0;
    for (const kind of KINDS) {
      const rt = build();
      // Start the pool's thread first: worker start-up is not what this part measures.
      if (kind === "spawnBlocking") await rt.blockOn(rt.handle().blockingPool.spawnBlocking(() => 0));
      const o = await scenario(rt, kind);
      await rt.shutdownTimeout(10_000);
      const rate = (o.units / o.windowMs) * 1000;
      if (kind === "none") baseline = rate;
      rates.get(kind)!.push(rate);
      ratios.get(kind)!.push(rate / baseline);
      windows.get(kind)!.push(o.windowMs);
      gaps.get(kind)!.push(o.maxGapMs);
    }
  }
  const time = flavour === "current_thread" ? "real time" : "virtual time of the timed interleaving (4 modelled cores)";
  console.log(`\n${flavour}: ${TICKERS} tickers (${TICK_US} µs of CPU, then yieldNow), a hog of ${HOG_MS} ms of CPU; ${time}`);
  console.log("  hog                              hog's window ms   longest ticker gap ms   ticker units/s   vs no hog (median of rounds)");
  for (const kind of KINDS) {
    console.log(
      `  ${kind.padEnd(32)} ${median(windows.get(kind)!).toFixed(0).padStart(15)} ${median(gaps.get(kind)!).toFixed(1).padStart(23)}` +
        ` ${median(rates.get(kind)!).toFixed(0).padStart(16)}` +
        `   ${median(ratios.get(kind)!).toFixed(2).padStart(5)}  [${ratios.get(kind)!.map((r) => r.toFixed(2)).join(" ")}]`,
    );
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function part2(cap: number): Promise<void> {
  const JOBS = 32;
  const JOB_MS = 100;
  const rt = Builder.newCurrentThread().enableTime().maxBlockingThreads(cap).build();
  const pool = rt.handle().blockingPool;
  // Start all `cap` threads first (each job waits until all have started): start-up is reported, not mixed in.
  const warm = performance.now();
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const starters = Array.from({ length: cap }, () =>
    pool.spawnBlocking((cell: Int32Array, n: number) => {
      Atomics.add(cell, 0, 1);
      Atomics.notify(cell, 0);
      for (let seen = Atomics.load(cell, 0); seen < n; seen = Atomics.load(cell, 0)) Atomics.wait(cell, 0, seen, 100);
    }, gate, cap),
  );
  for (const s of starters) await rt.blockOn(s);
  const startUp = performance.now() - warm;
  const started = performance.now();
  const peak = await rt.blockOn(
    asyncBlock(function* () {
      const jobs = Array.from({ length: JOBS }, () =>
        spawnBlocking((ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms), JOB_MS),
      );
      let peakQueue = pool.queueDepth;
      let peakThreads = pool.numThreads;
      let done = false;
      const sampler = spawn(
        asyncBlock(function* () {
          while (!done) {
            peakQueue = Math.max(peakQueue, pool.queueDepth);
            peakThreads = Math.max(peakThreads, pool.numThreads);
            yield* sleep(10);
          }
        }),
      );
      for (const j of jobs) yield* j;
      done = true;
      yield* sampler;
      return { peakQueue, peakThreads };
    }),
  );
  const total = performance.now() - started;
  await rt.shutdownTimeout(10_000);
  console.log(
    `  cap ${String(cap).padStart(2)}: starting ${cap} threads took ${startUp.toFixed(0)} ms; then peak queue ` +
      `${String(peak.peakQueue).padStart(2)}, threads ${String(peak.peakThreads).padStart(2)}, all ${JOBS} jobs of ${JOB_MS} ms ` +
      `done in ${total.toFixed(0)} ms (ideal ${Math.ceil(JOBS / cap) * JOB_MS} ms)`,
  );
}

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
await part1("current_thread");
await part1("multi_thread (4 logical workers)");
console.log("\npool exhaustion: 32 jobs that each block their thread for 100 ms");
await part2(4);
await part2(16);
