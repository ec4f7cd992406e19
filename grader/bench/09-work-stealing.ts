/**
 * Scheduler benchmark: spawning tasks and passing messages, on the multi-thread runtime (4 logical workers), on
 * the current-thread runtime, and on Node's promises, measured side by side in the same process.
 *
 *     npx tsx --conditions=kata-ref-01 ... --conditions=kata-ref-19 grader/bench/09-work-stealing.ts [tasks] [round trips] [rounds]
 *
 * (all nineteen `kata-ref-NN` conditions run the reference solutions; with none it runs the learner's chapters).
 * Defaults: 200,000 tasks, 200,000 round trips, 5 rounds, after a warm-up round at a tenth of the size.
 *
 * - spawn: one task spawns N tasks that each return a number, then awaits them all (Node: N async functions and
 *   `Promise.all`). Figures are ns per task.
 * - ping-pong: two tasks hand a number back and forth through one-slot mailboxes (Node: two async functions
 *   awaiting promises they hand each other). Figures are ns per round trip.
 *
 * Medians over the rounds; the ratio is node / ours (above 1: ours is faster). The multi-thread runtime runs its
 * workers on one thread, so it cannot beat the current-thread runtime: the gap is the price of the scheduler's
 * bookkeeping (steps, the shared-memory queue, searching and parking).
 */
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context, Waker } from "#kata/03-waker";
import type { JoinHandle } from "#kata/06-task";
import { Builder, spawn, type Runtime } from "#kata/09-work-stealing";

const TASKS = Number(process.argv[2] ?? 200_000);
const TRIPS = Number(process.argv[3] ?? 200_000);
const ROUNDS = Number(process.argv[4] ?? 5);

class Mailbox extends FutureBase<number> {
  #value = -1;
  #waker: Waker | null = null;
  send(v: number): void {
    this.#value = v;
    const w = this.#waker;
    this.#waker = null;
    w?.wake();
  }
  poll(cx: Context): Poll<number> {
    if (this.#value < 0) {
      if (this.#waker === null || !this.#waker.willWake(cx.waker)) this.#waker = cx.waker.clone();
      return Pending;
    }
    const v = this.#value;
    this.#value = -1;
    return v;
  }
}

const runtimes: Record<string, () => Runtime> = {
  "multi-thread x4": () => Builder.newMultiThread().workerThreads(4).rngSeed(1).build(),
  "current-thread": () => Builder.newCurrentThread().build(),
};

async function oursSpawn(make: () => Runtime, n: number): Promise<number> {
  const rt = make();
  try {
    const t0 = performance.now();
    await rt.blockOn(
      rt.spawn(
        asyncBlock(function* () {
          const js: JoinHandle<number>[] = new Array(n);
          for (let i = 0; i < n; i++) js[i] = spawn(asyncBlock(function* () { return i; }));
          let s = 0;
          for (const j of js) s += yield* j;
          return s;
        }),
      ),
    );
    return ((performance.now() - t0) * 1e6) / n;
  } finally {
    rt.shutdown();
  }
}

async function oursPingPong(make: () => Runtime, n: number): Promise<number> {
  const rt = make();
  try {
    const t0 = performance.now();
    await rt.blockOn(
      rt.spawn(
        asyncBlock(function* () {
          const toA = new Mailbox();
          const toB = new Mailbox();
          const b = spawn(asyncBlock(function* () { for (let i = 0; i < n; i++) toA.send(yield* toB); }));
          for (let i = 0; i < n; i++) {
            toB.send(i);
            yield* toA;
          }
          yield* b;
        }),
      ),
    );
    return ((performance.now() - t0) * 1e6) / n;
  } finally {
    rt.shutdown();
  }
}

async function nodeSpawn(n: number): Promise<number> {
  const t0 = performance.now();
  const ps: Promise<number>[] = new Array(n);
  for (let i = 0; i < n; i++) ps[i] = (async () => i)();
  await Promise.all(ps);
  return ((performance.now() - t0) * 1e6) / n;
}

async function nodePingPong(n: number): Promise<number> {
  const t0 = performance.now();
  let toA: (v: number) => void = () => {};
  let toB: (v: number) => void = () => {};
  const next = (set: (r: (v: number) => void) => void) => new Promise<number>((resolve) => set(resolve));
  let bNext = next((r) => (toB = r));
  const b = (async () => {
    for (let i = 0; i < n; i++) {
      const v = await bNext;
      bNext = next((r) => (toB = r));
      toA(v);
    }
  })();
  for (let i = 0; i < n; i++) {
    const aNext = next((r) => (toA = r));
    toB(i);
    await aNext;
  }
  await b;
  return ((performance.now() - t0) * 1e6) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(label: string, f: (n: number) => Promise<number>, n: number): Promise<number> {
  await f(Math.max(1, Math.floor(n / 10)));
  const xs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    xs.push(await f(n));
  }
  const m = median(xs);
  console.log(`  ${label.padEnd(20)} ${m.toFixed(0).padStart(7)} ns`);
  return m;
}

for (const [name, n, ours, node] of [
  ["spawn (per task)", TASKS, oursSpawn, nodeSpawn],
  ["ping-pong (per round trip)", TRIPS, oursPingPong, nodePingPong],
] as const) {
  console.log(name);
  const nodeNs = await measure("node", node, n);
  for (const [rtName, make] of Object.entries(runtimes)) {
    const ns = await measure(rtName, (k) => ours(make, k), n);
    console.log(`  ${"".padEnd(20)} node / ours = ${(nodeNs / ns).toFixed(2)}`);
  }
}
