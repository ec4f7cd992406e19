/**
 * The same seed, the same interleaving: two runs of the same workload give the same trace, event for event.
 */
import { expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { yieldNow } from "#kata/14-blocking";
import { Builder, spawn, type TraceEvent } from "#kata/09-work-stealing";

async function trace(seed: number): Promise<string[]> {
  const events: TraceEvent[] = [];
  const rt = Builder.newMultiThread()
    .workerThreads(3)
    .rngSeed(seed)
    .globalQueueInterval(31) // the adaptive interval would read the clock
    .traceSink((e) => events.push(e))
    .build();
  try {
    await rt.blockOn(
      asyncBlock(function* () {
        const tasks = [1, 2, 3, 4, 5, 6].map((i) =>
          spawn(
            asyncBlock(function* () {
              for (let k = 0; k < i; k++) yield* yieldNow();
            }),
          ),
        );
        for (const t of tasks) yield* t;
      }),
    );
  } finally {
    rt.shutdown();
  }
  // Task ids differ between runs (they are unique in the process): compare what happened, where, and when.
  return events.map((e) => `${e.step} w${e.worker} ${e.kind}${"source" in e ? ` ${e.source}` : ""}`);
}

it("replaying a seed replays the interleaving", async () => {
  const first = await trace(7);
  const again = await trace(7);
  const other = await trace(8);
  expect(again).toEqual(first);
  expect(other).not.toEqual(first);
  console.log(first.slice(0, 12).join("\n"));
});
