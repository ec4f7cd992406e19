/**
 * Task 4: the worker loop. The order in which tasks from inside and outside run, and where the driver's turns
 * fall among them, are read from one shared log.
 */
import { describe, expect, it } from "vitest";
import { Pending, pollFn, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { wakerFn } from "#kata/03-waker";
import type { JoinHandle } from "#kata/06-task";
import { Defer, spawn } from "#kata/07-current-thread";
import { budgetRemaining, pollProceed, yieldNow } from "#kata/14-blocking";
import { Throwing, ThrowingNoDispose } from "../_support/01-poll.ts";
import { recordingRuntime } from "../_support/07-current-thread.ts";

/** A task that logs its name when it runs, and completes. */
function note(log: string[], name: string): Future<void> {
  return asyncBlock(function* () {
    log.push(name);
  });
}

/** Awaits every handle in turn. */
function* all(handles: JoinHandle<unknown>[]) {
  for (const h of handles) yield* h;
}

describe("Task 4: The worker loop", () => {
  it("a main future whose poll throws is disposed once, and blockOn rejects with that error", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const boom = new Error("the main future failed");
    const failing = new Throwing<number>(boom);
    await expect(rt.blockOn(failing), "blockOn's promise").rejects.toBe(boom);
    expect(failing.disposed, "disposals of the abandoned main future (Rust drops it while unwinding)").toBe(1);
    const bare = new ThrowingNoDispose<number>(boom);
    await expect(rt.blockOn(bare), "a future without [Symbol.dispose]: the same error").rejects.toBe(boom);
    const both = new Throwing<number>(boom, new Error("its dispose failed too"));
    await expect(rt.blockOn(both), "a dispose that throws as well: still the poll's error").rejects.toBe(boom);
    expect(both.disposed, "both.disposed").toBe(1);
  });

  it("the main future is polled only when its waker was used, however many tasks run", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    let mainPolls = 0;
    let ran = 0;
    await rt.blockOn(
      pollFn<void>((cx) => {
        mainPolls++;
        if (mainPolls > 1) return undefined;
        const main = cx.waker.clone();
        for (let i = 0; i < 100; i++) {
          spawn(
            asyncBlock(function* () {
              if (++ran === 100) main.wake();
            }),
          );
        }
        return Pending;
      }),
    );
    expect(ran).toBe(100);
    expect(mainPolls, "once at the start, once after the hundredth task woke it").toBe(2);
  });

  it("local tasks run first-in first-out; every 31st tick the inject queue goes first", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const order: string[] = [];
    const remote = [rt.spawn(note(order, "R1")), rt.spawn(note(order, "R2"))];
    await rt.blockOn(
      asyncBlock(function* () {
        const local: JoinHandle<void>[] = [];
        for (let i = 1; i <= 40; i++) local.push(spawn(note(order, `L${i}`)));
        yield* all([...local, ...remote]);
      }),
    );
    const expected = [
      ...Array.from({ length: 30 }, (_, i) => `L${i + 1}`),
      "R1",
      ...Array.from({ length: 10 }, (_, i) => `L${i + 31}`),
      "R2",
    ];
    expect(order, "tick 31 takes R1; R2 waits until the local queue is empty").toEqual(expected);
  });

  it("the inject queue's interval is the configured global queue interval", async () => {
    const { rt } = recordingRuntime({ globalQueueInterval: 4 });
    using _rt = rt;
    const order: string[] = [];
    const remote = ["R1", "R2", "R3"].map((r) => rt.spawn(note(order, r)));
    await rt.blockOn(
      asyncBlock(function* () {
        const local = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"].map((l) => spawn(note(order, l)));
        yield* all([...local, ...remote]);
      }),
    );
    expect(order).toEqual(["L1", "L2", "L3", "R1", "L4", "L5", "L6", "R2", "L7", "R3"]);
  });

  it("the driver is turned after every 61 task polls, without waiting, then the loop goes on", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    await rt.blockOn(
      asyncBlock(function* () {
        const hs: JoinHandle<void>[] = [];
        for (let i = 0; i < 130; i++) hs.push(spawn(note(log, "task")));
        yield* all(hs);
      }),
    );
    const turns = log.flatMap((e, i) => (e === "turn" ? [i] : []));
    expect(turns.slice(0, 2), "61 tasks, a turn, 61 more, a turn").toEqual([61, 123]);
    expect(log.slice(0, 62).filter((e) => e.startsWith("wait")), "no wait in a maintenance turn").toEqual([]);
    expect(log.filter((e) => e === "task").length).toBe(130);
  });

  it("the number of tasks between driver turns is the configured event interval", async () => {
    const { rt, log } = recordingRuntime({ eventInterval: 10 });
    using _rt = rt;
    await rt.blockOn(
      asyncBlock(function* () {
        const hs: JoinHandle<void>[] = [];
        for (let i = 0; i < 25; i++) hs.push(spawn(note(log, "task")));
        yield* all(hs);
      }),
    );
    const turns = log.flatMap((e, i) => (e === "turn" ? [i] : []));
    expect(turns.slice(0, 2), "turns.slice(0, 2)").toEqual([10, 21]);
  });

  it("every task poll, and every poll of the main future, starts with a fresh budget of 128", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const seen: (number | undefined)[] = [];
    const spend = (n: number) =>
      pollFn<void>((cx) => {
        seen.push(budgetRemaining());
        for (let i = 0; i < n; i++) pollProceed(cx);
        return undefined;
      });
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spend(5);
        const a = spawn(spend(100));
        const b = spawn(spend(0));
        yield* a;
        yield* b;
      }),
    );
    expect(seen).toEqual([128, 128, 128]);
    expect(budgetRemaining(), "unconstrained again outside the runtime").toBeUndefined();
  });

  it("a yielded task's wake is deferred until after the driver's turn", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    await rt.blockOn(
      asyncBlock(function* () {
        const a = spawn(
          asyncBlock(function* () {
            log.push("A1");
            yield* yieldNow();
            log.push("A2");
          }),
        );
        const b = spawn(note(log, "B"));
        yield* a;
        yield* b;
      }),
    );
    expect(log.slice(0, 4), "(the main future, woken by the tasks, then needs one more turn)").toEqual([
      "A1",
      "B",
      "turn",
      "A2",
    ]);
  });

  it("deferred wakers are woken after the turn, the last deferred first", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    const yielder = (name: string) =>
      asyncBlock(function* () {
        log.push(`${name} yields`);
        yield* yieldNow();
        log.push(`${name} resumes`);
      });
    await rt.blockOn(
      asyncBlock(function* () {
        yield* all([spawn(yielder("a")), spawn(yielder("b")), spawn(yielder("c"))]);
      }),
    );
    expect(log.slice(0, 7), "log.slice(0, 7)").toEqual(["a yields", "b yields", "c yields", "turn", "c resumes", "b resumes", "a resumes"]);
  });

  it("Defer keeps one waker per run of the same task and wakes the most recent first", () => {
    const d = new Defer();
    const order: string[] = [];
    const a = wakerFn(() => order.push("a"));
    const b = wakerFn(() => order.push("b"));
    expect(d.isEmpty(), "d.isEmpty()").toBe(true);
    d.defer(a.waker);
    d.defer(a.waker);
    d.defer(b.waker);
    d.defer(a.waker);
    expect(d.isEmpty(), "d.isEmpty()").toBe(false);
    expect(a.stats.refs, "two clones of a are stored (a, b, a)").toBe(3);
    d.wake();
    expect(order).toEqual(["a", "b", "a"]);
    expect(d.isEmpty(), "d.isEmpty()").toBe(true);
    expect(a.stats.refs, "each stored clone is consumed by its wake").toBe(1);
  });

  it("with nothing to run the runtime parks; with work pending it turns the driver without parking", async () => {
    const { rt, log, driver } = recordingRuntime();
    using _rt = rt;
    let step = 0;
    // nothing would ever unpark this park: refused at once rather than waited out
    driver.onWait = (timeoutMs) => {
      if (timeoutMs === undefined && step === 1) throw new Error("the runtime parked (wait, no timeout) although the main future was woken during its poll");
    };
    await rt.blockOn(
      pollFn<void>((cx) => {
        step++;
        if (step === 1) {
          cx.waker.wakeByRef(); // woken during its own poll: work is pending
          return Pending;
        }
        if (step === 2) {
          const w = cx.waker.clone();
          setImmediate(() => w.wake());
          return Pending;
        }
        return undefined;
      }),
    );
    expect(log, "park_yield (turn only), then a real park (wait), unpark, turn").toEqual([
      "turn",
      "wait",
      "unpark",
      "turn",
    ]);
    const w = rt.metrics().worker(0);
    expect(w.parkCount, "only the real park counts").toBe(1);
    expect(w.parkUnparkCount, "w.parkUnparkCount").toBe(2);
  });

  it("when events come through Node's event loop, a turn without parking first lets that loop run once", async () => {
    const { rt, log, driver } = recordingRuntime();
    using _rt = rt;
    driver.needsEventLoop = true;
    await rt.blockOn(
      asyncBlock(function* () {
        yield* yieldNow();
      }),
    );
    expect(log).toEqual(["wait 0", "turn"]);
    log.length = 0;
    driver.needsEventLoop = false;
    rt.handle().driver.holdEventLoop();
    await rt.blockOn(
      asyncBlock(function* () {
        yield* yieldNow();
      }),
    );
    rt.handle().driver.releaseEventLoop();
    expect(log, "held by a resource waiting on Node (chapter 14's pool)").toEqual(["wait 0", "turn"]);
  });

  it("the worker counts its task polls", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    await rt.blockOn(
      asyncBlock(function* () {
        const hs = [1, 2, 3].map(() =>
          spawn(
            asyncBlock(function* () {
              yield* yieldNow();
            }),
          ),
        );
        yield* all(hs);
      }),
    );
    expect(rt.metrics().worker(0).pollCount, "three tasks, two polls each").toBe(6);
  });
  it("a task that wakes itself during its poll runs again, after the tasks already queued", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const log: string[] = [];
    await rt.blockOn(
      asyncBlock(function* () {
        let polls = 0;
        const self = spawn(
          pollFn<void>((cx) => {
            log.push(`self ${++polls}`);
            if (polls === 2) return undefined;
            cx.waker.wakeByRef(); // woken while running: requeued when this poll ends
            return Pending;
          }),
        );
        const other = spawn(note(log, "other"));
        yield* all([self, other]);
      }),
    );
    expect(log).toEqual(["self 1", "other", "self 2"]);
  });

  it("metrics: a task that spends its whole budget counts one forced yield; finished tasks leave the alive count", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    await rt.blockOn(
      asyncBlock(function* () {
        let spent = 0;
        const greedy = spawn(
          pollFn<void>((cx) => {
            while (spent < 200) {
              if (pollProceed(cx) === Pending) return Pending;
              spent++;
            }
            return undefined;
          }),
        );
        yield* greedy;
      }),
    );
    const m = rt.metrics();
    expect(m.budgetForcedYieldCount(), "the budget ran out once").toBe(1);
    expect(m.numAliveTasks(), "the finished task left the owned list").toBe(0);
    expect(() => m.worker(1), "a current-thread runtime has one worker").toThrow(RangeError);
    const busy = m.worker(0).busyDurationMs;
    expect(busy >= 0 && busy < 60_000, `busy time is a duration: ${busy}`).toBe(true);
  });
});
