/**
 * Hidden suite of chapter 08, Task 5: the queue shared by real threads.
 *
 * Three worker_threads run the learner's queue at once (see tests/_support/08-run-queue-stress-worker.ts): one
 * owner pushing and popping, two stealers stealing from it and from each other. Nothing here is timed; the
 * threads' interleaving is whatever the machine gives, and the seed fixes the owner's bursts.
 */
import { describe, expect, it } from "vitest";
import { runStress } from "../_support/08-run-queue-stress.ts";
import { seeds, withSeed } from "../_support/seed.ts";

/** What a seed fixes here: the owner's bursts. The threads' interleaving is the machine's. */
const REPLAY = (seed: number) =>
  `KATA_SEED=${seed} replays the owner's bursts, not the threads' interleaving: a race may take several runs to show again`;

describe("Task 5: Real threads", () => {
  it("1,000,000 tasks through one owner and two stealers: each taken out exactly once", async () => {
    const [seed] = seeds(1, 0x0808);
    const reports = await withSeed(seed!, () => runStress(seed!, 1_000_000), REPLAY(seed!));
    const taken = reports.reduce((n, r) => n + r.taken, 0);
    const stolen = reports.reduce((n, r) => n + r.stats.stealCount, 0);
    expect(taken, "tasks taken out of the queues").toBe(1_000_000);
    expect(stolen, "the owner leaves its last burst to the stealers, so some tasks were stolen").toBeGreaterThan(0);
  }, 60_000);

  it("100,000 tasks that only the two stealers take: they race for every one, and each is taken once", async () => {
    const [seed] = seeds(1, 0x0809);
    const reports = await withSeed(seed!, () => runStress(seed!, 100_000, false), REPLAY(seed!));
    const stolen = reports.slice(1).map((r) => r.stats.stealOperations);
    expect(reports.reduce((n, r) => n + r.taken, 0), "tasks taken out of the queues").toBe(100_000);
    expect(stolen.every((n) => n > 0), `steal operations of each stealer: ${stolen.join(", ")}`).toBe(true);
  }, 60_000);
});
