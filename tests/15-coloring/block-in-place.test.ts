/**
 * Hidden suite of chapter 15, tasks 1 and 2: leaving the runtime (`exitRuntime`, `enterBlockingRegion`, Tokio's
 * runtime-in-runtime errors) and `blockInPlace` on both flavours.
 */
import { describe, expect, it } from "vitest";
import { Pending, ready } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Handle, RUNTIME_IN_RUNTIME, spawn, type Runtime } from "#kata/09-work-stealing";
import { budgetRemaining, yieldNow } from "#kata/14-blocking";
import { now, sleep } from "#kata/13-time";
import {
  BLOCKING_IN_RUNTIME_ERROR,
  BLOCK_IN_PLACE_CURRENT_THREAD_ERROR,
  EXIT_NOT_ENTERED_ERROR,
  PERMANENT_EXECUTOR_ERROR,
  blockInPlace,
  enterBlockingRegion,
  exitRuntime,
} from "#kata/15-coloring";
import { CONTEXT } from "#kit/context";
import { probe } from "../_support/poll.ts";
import { currentThread, currentWorker, multiThread, runOn, workerThreads } from "../_support/15-coloring.ts";
import { seeds, withSeed } from "../_support/seed.ts";

const errorOf = (f: () => unknown): string => {
  try {
    f();
    return "no error";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("Task 1: Leaving the runtime", () => {
  it("exitRuntime outside a runtime is Tokio's error", () => {
    expect(CONTEXT.runtimeEntered, "CONTEXT.runtimeEntered").toBe(false);
    expect(errorOf(() => exitRuntime(() => 1))).toBe(EXIT_NOT_ENTERED_ERROR);
    expect(EXIT_NOT_ENTERED_ERROR).toBe("asked to exit when not entered");
  });

  it("in a task, starting a runtime is refused; inside exitRuntime it is allowed", async () => {
    const other = currentThread();
    const out = await runOn(currentThread(), function* () {
      const inside = errorOf(() => other.blockOn(ready("other")));
      const promise = exitRuntime(() => other.blockOn(ready("other")));
      const after = errorOf(() => Handle.current().blockOn(ready(1)));
      return { inside, isPromise: promise instanceof Promise, after, promise };
    });
    expect(out.inside, "out.inside").toBe(RUNTIME_IN_RUNTIME);
    expect(out.isPromise, "out.isPromise").toBe(true);
    expect(out.after, "entered again once exitRuntime returned").toBe(RUNTIME_IN_RUNTIME);
    expect(await out.promise, "out.promise").toBe("other");
    other.shutdown();
  });

  it("exitRuntime clears the flag only while its closure runs, and sets it back when the closure throws", async () => {
    const out = await runOn(currentThread(), function* () {
      const seen = exitRuntime(() => CONTEXT.runtimeEntered);
      const thrown = errorOf(() =>
        exitRuntime(() => {
          throw new Error("inside");
        }),
      );
      return { before: true, seen, thrown, after: CONTEXT.runtimeEntered, value: exitRuntime(() => 42) };
    });
    expect(out).toEqual({ before: true, seen: false, thrown: "inside", after: true, value: 42 });
  });

  it("a closure that leaves the runtime entered is an error", async () => {
    const out = await runOn(currentThread(), function* () {
      return errorOf(() =>
        exitRuntime(() => {
          CONTEXT.runtimeEntered = true;
        }),
      );
    });
    expect(out).toBe(PERMANENT_EXECUTOR_ERROR);
  });

  it("enterBlockingRegion refuses inside a runtime (Tokio's message), and allows outside or after exitRuntime", async () => {
    expect(errorOf(() => enterBlockingRegion())).toBe("no error");
    const out = await runOn(currentThread(), function* () {
      return { inTask: errorOf(() => enterBlockingRegion()), exited: exitRuntime(() => errorOf(() => enterBlockingRegion())) };
    });
    expect(out).toEqual({ inTask: BLOCKING_IN_RUNTIME_ERROR, exited: "no error" });
    expect(BLOCKING_IN_RUNTIME_ERROR).toMatch(/^Cannot block the current thread from within a runtime/);
  });
});

describe("Task 2: blockInPlace", () => {
  it("outside any runtime it just runs the closure", () => {
    expect(blockInPlace(() => 7)).toBe(7);
    expect(errorOf(() => blockInPlace(() => enterBlockingRegion()))).toBe("no error");
    expect(
      errorOf(() =>
        blockInPlace(() => {
          throw new Error("from f");
        }),
      ),
    ).toBe("from f");
  });

  it("on the current-thread runtime it is Tokio's error, in a task as in blockOn's future", async () => {
    const out = await runOn(currentThread(), function* () {
      let ran = false;
      const inMain = errorOf(() => blockInPlace(() => (ran = true)));
      const inTask = yield* spawn(asyncBlock(function* () {
        return errorOf(() => blockInPlace(() => (ran = true)));
      }));
      return { inMain, inTask, ran };
    });
    expect(out).toEqual({ inMain: BLOCK_IN_PLACE_CURRENT_THREAD_ERROR, inTask: BLOCK_IN_PLACE_CURRENT_THREAD_ERROR, ran: false });
    expect(BLOCK_IN_PLACE_CURRENT_THREAD_ERROR).toBe("can call blocking only when running on the multi-threaded runtime");
  });

  it("in a multi-thread task the closure runs outside the runtime, with no budget; both come back afterwards", async () => {
    const out = await runOn(multiThread(1), function* () {
      return yield* spawn(
        asyncBlock(function* () {
          yield* sleep(1);
          const before = budgetRemaining();
          const inside = blockInPlace(() => ({
            entered: CONTEXT.runtimeEntered,
            budget: budgetRemaining(),
            blocking: errorOf(() => enterBlockingRegion()),
          }));
          return { before, inside, after: { entered: CONTEXT.runtimeEntered, budget: budgetRemaining() } };
        }),
      );
    });
    expect(out.inside, "out.inside").toEqual({ entered: false, budget: undefined, blocking: "no error" });
    expect(out.before, "out.before").toBeGreaterThan(0);
    expect(out.after, "out.after").toEqual({ entered: true, budget: out.before });
  });

  it("in the future of a multi-thread blockOn it leaves the runtime and hands nothing over", async () => {
    const rt = multiThread(2);
    const threads = [...workerThreads(rt)];
    const out = await runOn(rt, function* () {
      return blockInPlace(() => ({ entered: CONTEXT.runtimeEntered, scheduler: CONTEXT.scheduler }));
    });
    expect(out).toEqual({ entered: false, scheduler: null });
    expect(workerThreads(rt), "the same worker threads").toEqual(threads);
  });

  it("before the closure runs, the worker's deferred wakes fire and its LIFO task moves to its queue", async () => {
    const out = await runOn(multiThread(3, 1), function* () {
      return yield* spawn(
        asyncBlock(function* () {
          const worker = currentWorker()!;
          spawn(ready("into the LIFO slot"));
          const p = probe();
          expect(p.poll(yieldNow())).toBe(Pending);
          const before = { lifo: worker.core.lifoSlot !== null, queued: worker.core.runQueue.len(), wakes: p.stats.wakes };
          const during = blockInPlace(() => ({
            lifo: worker.core.lifoSlot !== null,
            queued: worker.core.runQueue.len(),
            wakes: p.stats.wakes,
          }));
          return { before, during };
        }),
      );
    });
    expect(out.before, "out.before").toEqual({ lifo: true, queued: 0, wakes: 0 });
    expect(out.during, "out.during").toEqual({ lifo: false, queued: 1, wakes: 1 });
  });

  it("the worker's core goes to a new logical thread: the caller's thread never polls again, and no task is lost", async () => {
    for (const seed of seeds(4, 21)) {
      await withSeed(seed, async () => {
        const rt: Runtime = multiThread(seed, 2);
        const out = await runOn(rt, function* () {
          const pollers = new Set<unknown>();
          const results: number[] = [];
          const tasks = Array.from({ length: 8 }, (_, i) =>
            spawn(
              asyncBlock(function* () {
                for (let k = 0; k < 3; k++) {
                  pollers.add(CONTEXT.scheduler);
                  yield* yieldNow();
                }
                results.push(i);
              }),
            ),
          );
          const blocker = spawn(
            asyncBlock(function* () {
              yield* yieldNow();
              const caller = currentWorker()!;
              blockInPlace(() => {});
              const successor = workerThreads(rt)[caller.index]!;
              pollers.clear();
              yield* yieldNow();
              return { caller, successor, resumedOn: CONTEXT.scheduler };
            }),
          );
          const b = yield* blocker;
          for (const t of tasks) yield* t;
          return { ...b, pollers, results };
        });
        expect(out.successor, "a new thread holds the caller's worker").not.toBe(out.caller);
        expect(out.successor.core, "with the same core").toBe(out.caller.core);
        expect(out.resumedOn, "the task resumes on another thread").not.toBe(out.caller);
        expect(out.pollers.has(out.caller), "the caller's thread polled nothing after its poll").toBe(false);
        expect(out.results.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      });
    }
  });

  it("what the task schedules after the hand-off, in the same poll, goes through the inject queue", async () => {
    const rt = multiThread(9, 1);
    const out = await runOn(rt, function* () {
      return yield* spawn(
        asyncBlock(function* () {
          const remote = () => rt.metrics().remoteScheduleCount();
          const start = remote();
          spawn(ready(1));
          const local = remote() - start;
          blockInPlace(() => {});
          spawn(ready(2));
          return { local, afterHandOff: remote() - start - local };
        }),
      );
    });
    expect(out).toEqual({ local: 0, afterHandOff: 1 });
  });

  it("a second blockInPlace in the same poll, or one nested in the closure, hands nothing more over", async () => {
    const rt = multiThread(5, 1);
    const out = await runOn(rt, function* () {
      return yield* spawn(
        asyncBlock(function* () {
          blockInPlace(() => {});
          const first = workerThreads(rt)[0];
          const nested = blockInPlace(() => blockInPlace(() => CONTEXT.runtimeEntered));
          const second = blockInPlace(() => CONTEXT.runtimeEntered);
          return { same: workerThreads(rt)[0] === first, nested, second, after: CONTEXT.runtimeEntered };
        }),
      );
    });
    expect(out).toEqual({ same: true, nested: false, second: false, after: true });
  });

  it("an error of the closure propagates; the runtime and the budget come back", async () => {
    const out = await runOn(multiThread(6, 2), function* () {
      return yield* spawn(
        asyncBlock(function* () {
          const before = budgetRemaining();
          const error = errorOf(() =>
            blockInPlace(() => {
              throw new Error("blocking failed");
            }),
          );
          yield* sleep(5);
          return { error, budgetBack: before !== undefined && budgetRemaining() !== undefined, entered: CONTEXT.runtimeEntered, at: now() };
        }),
      );
    });
    expect(out).toEqual({ error: "blocking failed", budgetBack: true, entered: true, at: 5 });
  });

  it("seed 10.5: blockOn inside a task is refused; inside blockInPlace it is allowed and gives a promise", async () => {
    let promise: Promise<string> | null = null;
    const out = await runOn(multiThread(8, 2), function* () {
      return yield* spawn(
        asyncBlock(function* () {
          const job = asyncBlock(function* () {
            yield* sleep(10);
            return "done on the same runtime";
          });
          const refused = errorOf(() => Handle.current().blockOn(job));
          promise = blockInPlace(() => Handle.current().blockOn(job));
          yield* sleep(20);
          return refused;
        }),
      );
    });
    expect(out).toBe(RUNTIME_IN_RUNTIME);
    expect(await promise!).toBe("done on the same runtime");
  });
});
