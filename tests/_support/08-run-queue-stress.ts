/**
 * Chapter 08's stress test on real threads: one owner and two stealers share three queues
 * (`08-run-queue-stress-worker.ts` is their body). Afterwards every task index must have been taken out of a
 * queue exactly once; if not, the error gives the counts of every thread so the failure can be understood and,
 * with its seed, replayed (the owner's bursts replay exactly; the threads' timing does not).
 */
import { QUEUE_BYTES, type Stats } from "#kata/08-run-queue";
import { startThread } from "./08-run-queue-threads.ts";

/** Words of the control array: the start signal, the owner's "done", a failure flag, and a word to sleep on. */
export const START = 0;
export const OWNER_DONE = 1;
export const FAILED = 2;
export const SLEEP = 3;
const CONTROL_WORDS = 4;

export interface StressData {
  role: "owner" | "stealer";
  /** 0 for the owner; 1 and 2 for the stealers (the index of their own queue). */
  id: number;
  queues: SharedArrayBuffer[];
  seen: SharedArrayBuffer;
  control: SharedArrayBuffer;
  items: number;
  seed: number;
  /** False: the owner never pops, so the two stealers race each other for every task. */
  ownerPops: boolean;
}

export interface StressReport {
  role: string;
  id: number;
  /** Tasks this thread took out of a queue (popped, returned by a steal, or back from its overflow). */
  taken: number;
  /** Tasks it found already marked in `seen`. */
  duplicates: number;
  /** Task values out of range. */
  bogus: number;
  stats: Stats;
  /** Tasks left in the owner's overflow list when it stopped pushing (owner only). */
  overflowed: number;
}

const ENTRY = new URL("./08-run-queue-stress-worker.ts", import.meta.url);

function describeReports(reports: readonly StressReport[]): string {
  return reports
    .map(
      (r) =>
        `${r.role} ${r.id}: took ${r.taken} (${r.duplicates} duplicates, ${r.bogus} bogus), ` +
        `stole ${r.stats.stealCount} in ${r.stats.stealOperations} operations, ${r.stats.overflowCount} overflows`,
    )
    .join("; ");
}

/** Runs the three threads over `items` task indices; resolves with their reports, or throws what went wrong. */
export async function runStress(seed: number, items: number, ownerPops = true): Promise<StressReport[]> {
  const queues = [0, 1, 2].map(() => new SharedArrayBuffer(QUEUE_BYTES));
  const seen = new SharedArrayBuffer(items);
  const control = new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT);
  const base = { queues, seen, control, items, seed, ownerPops };
  const threads = [
    startThread<StressReport>(ENTRY, { ...base, role: "owner", id: 0 }),
    startThread<StressReport>(ENTRY, { ...base, role: "stealer", id: 1 }),
    startThread<StressReport>(ENTRY, { ...base, role: "stealer", id: 2 }),
  ];
  const flags = new Int32Array(control);
  try {
    await Promise.all(threads.map((t) => t.ready));
    Atomics.store(flags, START, 1);
    Atomics.notify(flags, START);
    const reports = await Promise.all(threads.map((t) => t.done));
    const marks = new Uint8Array(seen);
    const missing: number[] = [];
    const repeated: number[] = [];
    for (let i = 0; i < items; i++) {
      if (marks[i] === 0) missing.push(i);
      else if (marks[i]! > 1) repeated.push(i);
    }
    const bogus = reports.reduce((n, r) => n + r.bogus, 0);
    if (missing.length > 0 || repeated.length > 0 || bogus > 0) {
      throw new Error(
        `${items} tasks: ${missing.length} never taken (first ${missing.slice(0, 5).join(", ")}), ` +
          `${repeated.length} taken twice or more (first ${repeated.slice(0, 5).join(", ")}), ${bogus} bogus values; ` +
          describeReports(reports),
      );
    }
    return reports;
  } finally {
    Atomics.store(flags, FAILED, 1);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

export { describeReports };
