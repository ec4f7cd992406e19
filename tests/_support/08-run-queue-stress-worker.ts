/**
 * The body of chapter 08's stress threads: one owner that pushes and pops, stealers that steal from the owner
 * and from each other. Every task index taken out of a queue is marked in the shared `seen` array.
 *
 * The owner pushes the indices 0..items-1 in bursts of seeded random sizes, popping a random part of each burst
 * (from its queue, then from its own overflow list, which stands for the inject queue), or, when `ownerPops` is
 * false, popping nothing and waiting while its queue is more than half full, so that the stealers race each other. After the last push it
 * stops popping and waits until the stealers have emptied its queue, so stealing is certain to happen; then it
 * takes back what overflowed and says it is done. A stealer pops its own queue, steals when it is empty, and
 * stops once the owner is done and its own queue is empty.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Local, Steal, type Overflow } from "#kata/08-run-queue";
import { FAILED, OWNER_DONE, SLEEP, START, type StressData, type StressReport } from "./08-run-queue-stress.ts";
import { rng } from "./seed.ts";

const data = workerData as StressData;
const control = new Int32Array(data.control);
const seen = new Uint8Array(data.seen);
const report: StressReport = {
  role: data.role,
  id: data.id,
  taken: 0,
  duplicates: 0,
  bogus: 0,
  stats: { stealCount: 0, stealOperations: 0, overflowCount: 0 },
  overflowed: 0,
};

function mark(task: number): void {
  report.taken++;
  if (!Number.isInteger(task) || task < 0 || task >= data.items) report.bogus++;
  else if (Atomics.add(seen, task, 1) !== 0) report.duplicates++;
}

const nap = (ms: number) => Atomics.wait(control, SLEEP, 0, ms);
const failed = () => Atomics.load(control, FAILED) !== 0;

function owner(): void {
  const random = rng(data.seed);
  const queue = new Local(data.queues[0]!);
  const overflowed: number[] = [];
  let next = 0;
  const overflow: Overflow = {
    push(task) {
      overflowed.push(task);
    },
    pushBatch(tasks) {
      for (const t of tasks) overflowed.push(t);
    },
  };
  while (next < data.items && !failed()) {
    const burst = 1 + Math.floor(random() * 384);
    for (let k = 0; k < burst && next < data.items; k++) queue.pushBackOrOverflow(next++, overflow, report.stats);
    if (!data.ownerPops) {
      // Leave the queue to the stealers: wait (briefly) while it is more than half full.
      for (let spins = 0; queue.len() > 128 && !failed(); spins++) if (spins % 1024 === 1023) nap(0.02);
      continue;
    }
    const pops = Math.floor(random() * burst);
    for (let k = 0; k < pops; k++) {
      const task = queue.pop() ?? overflowed.pop();
      if (task === undefined) break;
      mark(task);
    }
  }
  report.overflowed = overflowed.length;
  while (queue.len() !== 0 && !failed()) nap(1);
  for (let t = overflowed.pop(); t !== undefined; t = overflowed.pop()) mark(t);
}

function stealer(): void {
  const random = rng(data.seed ^ (data.id * 0x9e3779b9));
  const mine = new Local(data.queues[data.id]!);
  const victims = [new Steal(data.queues[0]!), new Steal(data.queues[3 - data.id]!)];
  let idle = 0;
  for (;;) {
    let task = mine.pop();
    if (task === undefined) {
      const first = random() < 0.5 ? 0 : 1;
      task = victims[first]!.stealInto(mine, report.stats) ?? victims[1 - first]!.stealInto(mine, report.stats);
    }
    if (task !== undefined) {
      mark(task);
      idle = 0;
      continue;
    }
    if ((Atomics.load(control, OWNER_DONE) !== 0 && mine.len() === 0) || failed()) return;
    if (++idle % 256 === 0) nap(0.05);
  }
}

try {
  parentPort!.postMessage({ kind: "ready" });
  Atomics.wait(control, START, 0);
  if (data.role === "owner") {
    owner();
    Atomics.store(control, OWNER_DONE, 1);
  } else {
    stealer();
  }
  parentPort!.postMessage({ kind: "done", report });
} catch (e) {
  Atomics.store(control, FAILED, 1);
  parentPort!.postMessage({ kind: "error", message: `${data.role} ${data.id}: ${e instanceof Error ? e.message : String(e)}` });
}
