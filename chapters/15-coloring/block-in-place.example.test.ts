/**
 * Blocking inside a task: refused on the current-thread runtime, allowed with `blockInPlace` on the multi-thread one,
 * where the worker's other tasks are handed to another (logical) thread first. And a runtime started from a task.
 */
import { expect, it } from "vitest";
import { ready } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, RUNTIME_IN_RUNTIME, spawn } from "#kata/09-work-stealing";
import { yieldNow } from "#kata/14-blocking";
import { blockInPlace, exitRuntime, fromPromise } from "#kata/15-coloring";

/** Stands for blocking work: a computation that never yields. */
function checksum(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) >>> 0;
  return x;
}

it("blockInPlace needs the multi-thread runtime", async () => {
  const current = Builder.newCurrentThread().build();
  try {
    const refused = await current.blockOn(
      asyncBlock(function* () {
        try {
          return blockInPlace(() => checksum(10));
        } catch (e) {
          return (e as Error).message;
        }
      }),
    );
    expect(refused).toBe("can call blocking only when running on the multi-threaded runtime");
  } finally {
    current.shutdown();
  }

  const multi = Builder.newMultiThread().workerThreads(2).rngSeed(1).build();
  try {
    const out = await multi.blockOn(
      asyncBlock(function* () {
        const others = [1, 2, 3].map((i) =>
          spawn(
            asyncBlock(function* () {
              yield* yieldNow();
              return i;
            }),
          ),
        );
        const sum = yield* spawn(asyncBlock(function* () { return blockInPlace(() => checksum(100_000)); }));
        const done: number[] = [];
        for (const t of others) done.push(yield* t);
        return { sum, done };
      }),
    );
    expect(out).toEqual({ sum: checksum(100_000), done: [1, 2, 3] });
  } finally {
    multi.shutdown();
  }
});

it("in a task, starting a runtime is refused; leaving the runtime first allows it", async () => {
  const rt = Builder.newCurrentThread().build();
  const other = Builder.newCurrentThread().build();
  try {
    const out = await rt.blockOn(
      asyncBlock(function* () {
        let refused = "";
        try {
          other.blockOn(ready("never"));
        } catch (e) {
          refused = (e as Error).message;
        }
        // Outside the runtime (Tokio's exit_runtime) the other runtime may start; its promise comes back in.
        const value = yield* fromPromise(exitRuntime(() => other.blockOn(ready("from the other runtime"))));
        return { refused: refused === RUNTIME_IN_RUNTIME, value };
      }),
    );
    expect(out).toEqual({ refused: true, value: "from the other runtime" });
  } finally {
    rt.shutdown();
    other.shutdown();
  }
});
