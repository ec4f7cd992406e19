/**
 * A multi-thread runtime with four logical workers: spawn a burst, and read what each worker did.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { yieldNow } from "#kata/14-blocking";
import type { JoinHandle } from "#kata/06-task";
import { Builder, spawn } from "#kata/09-work-stealing";

it("a burst spawned by one task spreads over the workers by stealing", async () => {
  const rt = Builder.newMultiThread().workerThreads(4).rngSeed(42).build();
  try {
    const sum = await rt.blockOn(
      asyncBlock(function* () {
        const parent = spawn(
          asyncBlock(function* () {
            const children: JoinHandle<number>[] = [];
            for (let i = 1; i <= 100; i++) {
              children.push(
                spawn(
                  asyncBlock(function* () {
                    yield* yieldNow();
                    return i;
                  }),
                ),
              );
            }
            let total = 0;
            for (const child of children) total += yield* child;
            return total;
          }),
        );
        return yield* parent;
      }),
    );
    expect(sum).toBe(5050);
    const m = rt.metrics();
    const perWorker = [0, 1, 2, 3].map((w) => ({ polls: m.worker(w).pollCount, stolen: m.worker(w).stealCount }));
    console.table(perWorker);
    expect(perWorker.filter((w) => w.polls > 0).length, "workers that polled something").toBeGreaterThan(1);
    expect(perWorker.reduce((n, w) => n + w.stolen, 0), "tasks stolen").toBeGreaterThan(0);
  } finally {
    rt.shutdown();
  }
});
