/**
 * Run-queue benchmark: chapter 08's local queue (Atomics on a SharedArrayBuffer) against chapter 07's VecDeque
 * (a plain array ring), one thread, measured side by side in the same process.
 *
 *     npx tsx --conditions=kata-ref-08 grader/bench/08-run-queue.ts [operations] [rounds]
 *
 * (with `--conditions=kata-ref-08` it runs the reference queue; without, the learner's).
 * Defaults: 10,000,000 operations, 5 rounds, after a warm-up round at a tenth of the size.
 *
 * - push/pop: push 100 task indices, pop 100, repeat; ns per push+pop pair.
 * - steal: fill a queue with 200, steal half into an empty queue, drain both; ns per task moved.
 *
 * Medians over the rounds. The shared-memory queue pays for its atomics even when only one thread uses it, which
 * is what the multi-thread scheduler of chapter 09 does; the ratio says how much.
 */
import { local, type Overflow } from "#kata/08-run-queue";
import { VecDeque } from "#kit/vec-deque";

const OPS = Number(process.argv[2] ?? 10_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);

const overflow: Overflow = { push() {}, pushBatch() {} };
const stats = { stealCount: 0, stealOperations: 0, overflowCount: 0 };

function queuePushPop(n: number): number {
  const [, q] = local();
  let sink = 0;
  const t0 = performance.now();
  for (let done = 0; done < n; done += 100) {
    for (let i = 0; i < 100; i++) q.pushBackOrOverflow(i, overflow, stats);
    for (let i = 0; i < 100; i++) sink += q.pop()!;
  }
  if (sink < 0) console.log(sink);
  return ((performance.now() - t0) * 1e6) / n;
}

function dequePushPop(n: number): number {
  const q = new VecDeque<number>(256);
  let sink = 0;
  const t0 = performance.now();
  for (let done = 0; done < n; done += 100) {
    for (let i = 0; i < 100; i++) q.pushBack(i);
    for (let i = 0; i < 100; i++) sink += q.popFront()!;
  }
  if (sink < 0) console.log(sink);
  return ((performance.now() - t0) * 1e6) / n;
}

function queueSteal(n: number): number {
  const [victim, src] = local();
  const [, dst] = local();
  let sink = 0;
  const t0 = performance.now();
  for (let moved = 0; moved < n; moved += 200) {
    for (let i = 0; i < 200; i++) src.pushBackOrOverflow(i, overflow, stats);
    sink += victim.stealInto(dst, stats)!;
    for (let t = dst.pop(); t !== undefined; t = dst.pop()) sink += t;
    for (let t = src.pop(); t !== undefined; t = src.pop()) sink += t;
  }
  if (sink < 0) console.log(sink);
  return ((performance.now() - t0) * 1e6) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(label: string, f: (n: number) => number): number {
  f(Math.floor(OPS / 10));
  const m = median(Array.from({ length: ROUNDS }, () => f(OPS)));
  console.log(`  ${label.padEnd(28)} ${m.toFixed(1).padStart(6)} ns`);
  return m;
}

console.log("push + pop (per pair)");
const q = measure("local queue (Atomics)", queuePushPop);
const d = measure("VecDeque (plain array)", dequePushPop);
console.log(`  ${"".padEnd(28)} VecDeque / queue = ${(d / q).toFixed(2)}`);
console.log("fill 200, steal half, drain (per task)");
measure("local queue (Atomics)", queueSteal);
