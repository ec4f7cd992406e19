/**
 * Hidden suite of chapter 09, Task 5: the multi-thread runtime as a whole: the builder, blockOn, spawn, metrics,
 * shutdown, and replaying a seed.
 */
import { describe, expect, it } from "vitest";
import { FutureBase, Pending, ready, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context, Waker } from "#kata/03-waker";
import { JoinError, type JoinHandle } from "#kata/06-task";
import { yieldNow } from "#kata/14-blocking";
import {
  Builder,
  Handle,
  RUNTIME_IN_RUNTIME,
  spawn,
  type MultiThreadHandle,
  type TraceEvent,
} from "#kata/09-work-stealing";
import { probe } from "../_support/poll.ts";
import { Throwing, ThrowingNoDispose } from "../_support/01-poll.ts";
import { Countdown, Mailbox, assertSameTrace, macrotasks, recorder, selfWake } from "../_support/09-work-stealing.ts";
import { rng } from "../_support/seed.ts";

/** A workload with stealing, LIFO hits, remote wakes and parks: what a replay must reproduce. */
function busy(seed: number) {
  const random = rng(seed);
  return asyncBlock(function* () {
    const boxes = Array.from({ length: 6 }, () => new Mailbox<number>());
    const joins: JoinHandle<number>[] = [];
    for (let i = 0; i < 6; i++) {
      joins.push(
        spawn(
          asyncBlock(function* () {
            let sum = 0;
            for (;;) {
              const v = yield* boxes[i]!.recv();
              if (v < 0) return sum;
              sum += v;
              if (v > 0) boxes[(i + 1) % 6]!.send(v - 1);
            }
          }),
        ),
      );
    }
    const burst = spawn(
      asyncBlock(function* () {
        const js: JoinHandle<number>[] = [];
        for (let i = 0; i < 50; i++) {
          js.push(
            spawn(
              asyncBlock(function* () {
                yield* yieldNow();
                return i;
              }),
            ),
          );
        }
        let s = 0;
        for (const j of js) s += yield* j;
        return s;
      }),
    );
    for (let i = 0; i < 30; i++) {
      boxes[Math.floor(random() * 6)]!.send(Math.floor(random() * 3));
      if (random() < 0.3) yield* selfWake();
    }
    let total = yield* burst;
    for (const box of boxes) box.send(-1);
    for (const j of joins) total += yield* j;
    return total;
  });
}

/** A future that yields (waking itself) `n` times, then returns `value`. */
function yieldingValue<T>(n: number, value: T) {
  return asyncBlock(function* () {
    for (let i = 0; i < n; i++) yield* selfWake();
    return value;
  });
}

async function traceOf(seed: number, configure: (b: Builder) => Builder): Promise<TraceEvent[]> {
  const { events, sink } = recorder();
  const rt = configure(Builder.newMultiThread().workerThreads(4).rngSeed(seed).traceSink(sink)).build();
  try {
    await rt.blockOn(busy(seed));
  } finally {
    rt.shutdown();
  }
  return events;
}

describe("Task 5: The seeded runtime", () => {
  it("Builder.newMultiThread() builds a multi-thread runtime with the requested number of workers", async () => {
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(1).build();
    try {
      expect(rt.handle().runtimeFlavor()).toBe("multi_thread");
      expect(rt.metrics().numWorkers()).toBe(3);
      expect(await rt.blockOn(asyncBlock(function* () { return Handle.current().runtimeFlavor(); }))).toBe("multi_thread");
    } finally {
      rt.shutdown();
    }
  });

  it("workerThreads(0) throws Tokio's message", () => {
    expect(() => Builder.newMultiThread().workerThreads(0)).toThrow("Worker threads cannot be set to 0");
  });

  it("workerThreads accepts the integers 1 to 65535 and throws a RangeError for any other number", () => {
    for (const n of [1.5, -1, -4, 65536, Number.NaN]) {
      expect(() => Builder.newMultiThread().workerThreads(n), `workerThreads(${n})`).toThrow(RangeError);
    }
    for (const n of [1, 65535]) {
      expect(() => Builder.newMultiThread().workerThreads(n), `workerThreads(${n})`).not.toThrow();
    }
  });

  it("each builder names its flavour (chapter 07's Builder.flavor)", () => {
    expect(Builder.newMultiThread().flavor, "Builder.newMultiThread().flavor").toBe("multi_thread");
    expect(Builder.newCurrentThread().flavor, "Builder.newCurrentThread().flavor").toBe("current_thread");
  });

  it("the chapter's Builder still builds the current-thread flavour", async () => {
    const builder = Builder.newCurrentThread();
    expect(builder, "newCurrentThread returns this chapter's Builder").toBeInstanceOf(Builder);
    const rt = builder.build();
    try {
      expect(rt.handle().runtimeFlavor()).toBe("current_thread");
      expect(await rt.blockOn(asyncBlock(function* () { return yield* spawn(asyncBlock(function* () { return 41; })); }))).toBe(41);
    } finally {
      rt.shutdown();
    }
    const mt = Builder.newMultiThread().workerThreads(2).rngSeed(3).build();
    mt.shutdown();
  });

  it("blockOn runs its future on the runtime: tasks spawned inside go through the inject queue", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(4).build();
    try {
      const out = await rt.blockOn(
        asyncBlock(function* () {
          const js = [1, 2, 3].map((i) => spawn(asyncBlock(function* () { return i * 10; })));
          let s = 0;
          for (const j of js) s += yield* j;
          return s;
        }),
      );
      expect(out).toBe(60);
      expect(rt.metrics().remoteScheduleCount(), "the blockOn's future is not on a worker").toBe(3);
      expect(rt.metrics().spawnedTasksCount()).toBe(3);
    } finally {
      rt.shutdown();
    }
  });

  it("rt.spawn from outside, and Handle.current() inside a task, are this runtime", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(5).build();
    try {
      const j = rt.spawn(asyncBlock(function* () { return Handle.current() === rt.handle(); }));
      expect(await rt.blockOn(j), "rt.blockOn(j)").toBe(true);
    } finally {
      rt.shutdown();
    }
  });

  it("a blockOn future whose poll throws is disposed once, and blockOn rejects with that error", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(6).build();
    try {
      const boom = new Error("the main future failed");
      const failing = new Throwing<number>(boom);
      await expect(rt.blockOn(failing), "blockOn's promise").rejects.toBe(boom);
      expect(failing.disposed, "disposals of the abandoned future (Rust drops it while unwinding)").toBe(1);
      const bare = new ThrowingNoDispose<number>(boom);
      await expect(rt.blockOn(bare), "a future without [Symbol.dispose]: the same error").rejects.toBe(boom);
      const both = new Throwing<number>(boom, new Error("its dispose failed too"));
      await expect(rt.blockOn(both), "a dispose that throws as well: still the poll's error").rejects.toBe(boom);
      expect(both.disposed, "both.disposed").toBe(1);
      await expect(rt.blockOn(ready(3)), "and the runtime goes on").resolves.toBe(3);
    } finally {
      rt.shutdown();
    }
  });

  it("two blockOn calls on one runtime run side by side", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(6).build();
    try {
      const box = new Mailbox<string>();
      const a = rt.blockOn(box.recv());
      const b = rt.blockOn(asyncBlock(function* () { yield* selfWake(); box.send("from b"); return "b done"; }));
      expect(await Promise.all([a, b]), "Promise.all([a, b])").toEqual(["from b", "b done"]);
    } finally {
      rt.shutdown();
    }
  });

  it("blockOn inside a task throws: a runtime cannot be started from within a runtime", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(7).build();
    try {
      const message = await rt.blockOn(
        rt.spawn(
          asyncBlock(function* () {
            try {
              void rt.blockOn(asyncBlock(function* () {}));
              return "no error";
            } catch (e) {
              return (e as Error).message;
            }
          }),
        ),
      );
      expect(message).toBe(RUNTIME_IN_RUNTIME);
    } finally {
      rt.shutdown();
    }
  });

  it("shutdown cancels every task still waiting, drops its future, and refuses new blockOns", async () => {
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(8).build();
    let dropped = 0;
    const started = new Countdown(3);
    const never = () =>
      asyncBlock(function* () {
        try {
          started.tick();
          yield* new Mailbox<void>().recv();
        } finally {
          dropped++;
        }
      });
    const joins = await rt.blockOn(
      asyncBlock(function* () {
        const js = [spawn(never()), spawn(never()), spawn(never())];
        yield* started.done();
        return js;
      }),
    );
    rt.shutdown();
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(true);
    expect(dropped, "futures dropped").toBe(3);
    const p = probe();
    for (const j of joins) {
      let error: unknown;
      try {
        p.poll(j);
      } catch (e) {
        error = e;
      }
      expect(error, "a cancelled task's JoinHandle").toBeInstanceOf(JoinError);
      expect((error as JoinError).isCancelled()).toBe(true);
    }
    expect(rt.metrics().numAliveTasks()).toBe(0);
    await expect(rt.blockOn(asyncBlock(function* () {}))).rejects.toThrow();
  });

  it("shutdown forgets every task index: the handle's task table is empty afterwards", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(20).build();
    const box = new Mailbox<void>();
    const started = new Countdown(4);
    await rt.blockOn(
      asyncBlock(function* () {
        for (let i = 0; i < 4; i++) {
          spawn(
            asyncBlock(function* () {
              started.tick();
              yield* box.recv();
            }),
          );
        }
        yield* started.done();
      }),
    );
    const table = (rt.handle().inner as MultiThreadHandle).tasks;
    expect(table.length, "task indices in use while four tasks wait").toBeGreaterThanOrEqual(4);
    rt.shutdown();
    expect(table.length, "the task table after shutdown").toBe(0);
  });

  it("Handle.blockOn works on the multi-thread runtime too", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(11).build();
    try {
      const out = await rt.handle().blockOn(
        asyncBlock(function* () {
          return (yield* spawn(asyncBlock(function* () { return 20; }))) + 1;
        }),
      );
      expect(out, "the output of rt.handle().blockOn").toBe(21);
    } finally {
      rt.shutdown();
    }
  });

  it("a blockOn whose future throws rejects with that error, and the runtime carries on", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(12).build();
    try {
      const boom = new Error("boom in blockOn");
      const failing = rt.blockOn(
        asyncBlock(function* () {
          yield* selfWake();
          throw boom;
        }),
      );
      const outcome = await Promise.race([
        failing.then(
          () => "resolved",
          (e: unknown) => e,
        ),
        macrotasks(20).then(() => "still pending after 20 macrotask turns"),
      ]);
      expect(outcome, "the blockOn's outcome").toBe(boom);
      expect(await rt.blockOn(yieldingValue(3, "after")), "a later blockOn on the same runtime").toBe("after");
    } finally {
      rt.shutdown();
    }
  });

  it("blockOn traces each poll of its future as a block-on event outside the workers", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(13).traceSink(sink).build();
    try {
      expect(await rt.blockOn(yieldingValue(2, "done"))).toBe("done");
      const blockOns = events.filter((e) => e.kind === "block-on");
      expect(blockOns, "one event per poll: two yields, then ready").toEqual([
        expect.objectContaining({ worker: -1, complete: false }),
        expect.objectContaining({ worker: -1, complete: false }),
        expect.objectContaining({ worker: -1, complete: true }),
      ]);
    } finally {
      rt.shutdown();
    }
  });

  it("an error thrown by a step (here, by the trace sink) fails the runtime: pending and later blockOns reject with it", async () => {
    const broken = new Error("the sink broke");
    let thrown = false;
    const rt = Builder.newMultiThread()
      .workerThreads(2)
      .rngSeed(14)
      .traceSink((e) => {
        if (e.kind === "poll" && !thrown) {
          thrown = true;
          throw broken;
        }
      })
      .build();
    try {
      const pending = rt.blockOn(
        asyncBlock(function* () {
          return yield* spawn(asyncBlock(function* () { return 1; }));
        }),
      );
      const outcome = await Promise.race([
        pending.then(
          () => "resolved",
          (e: unknown) => e,
        ),
        macrotasks(20).then(() => "still pending after 20 macrotask turns"),
      ]);
      expect(thrown, "a worker polled a task").toBe(true);
      expect(outcome, "the pending blockOn").toBe(broken);
      await expect(rt.blockOn(asyncBlock(function* () { return 2; })), "a later blockOn").rejects.toBe(broken);
    } finally {
      rt.shutdown();
    }
  });

  it("shutdown throws while a blockOn runs, and inside the runtime (Tokio's message); a second shutdown does nothing", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(15).build();
    const box = new Mailbox<number>();
    const running = rt.blockOn(box.recv());
    await macrotasks(2);
    expect(() => rt.shutdown(), "shutdown while a blockOn waits").toThrow(
      "cannot shut a runtime down while blockOn is running on it; shut it down after blockOn settles",
    );
    expect(rt.isShutdown(), "the refused shutdown left the runtime running").toBe(false);
    box.send(5);
    expect(await running).toBe(5);
    const inside = await rt.blockOn(
      rt.spawn(
        asyncBlock(function* () {
          try {
            rt.shutdown();
            return "no error";
          } catch (e) {
            return (e as Error).message;
          }
        }),
      ),
    );
    expect(inside, "shutdown called by a task").toBe(
      "Cannot drop a runtime in a context where blocking is not allowed. This happens when a runtime is dropped " +
        "from within an asynchronous context.",
    );
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(false);
    rt.shutdown();
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(true);
    expect(() => rt.shutdown(), "a second shutdown").not.toThrow();
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(true);
  });

  it("after shutdown, blockOn rejects with its message, and a spawned task is cancelled at once", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(16).build();
    rt.shutdown();
    await expect(rt.blockOn(asyncBlock(function* () { return 1; }))).rejects.toThrow(
      "blockOn called on a runtime that has been shut down",
    );
    let dropped = false;
    const j = rt.spawn(
      asyncBlock(function* () {
        try {
          yield* selfWake();
        } finally {
          dropped = true;
        }
      }),
    );
    let error: unknown;
    try {
      probe().poll(j);
    } catch (e) {
      error = e;
    }
    expect(error, "the JoinHandle of a task spawned after shutdown").toBeInstanceOf(JoinError);
    expect((error as JoinError).isCancelled()).toBe(true);
    expect(rt.metrics().numAliveTasks(), "alive tasks").toBe(0);
    expect(dropped, "its future was never started, so its finally never ran").toBe(false);
  });

  it("a blockOn's future runs with the runtime entered: a nested blockOn and shutdown both throw there", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(17).build();
    try {
      const messages = await rt.blockOn(
        asyncBlock(function* () {
          const caught: string[] = [];
          for (const attempt of [() => void rt.blockOn(asyncBlock(function* () {})), () => rt.shutdown()]) {
            try {
              attempt();
              caught.push("no error");
            } catch (e) {
              caught.push((e as Error).message);
            }
          }
          return caught;
        }),
      );
      expect(messages[0], "blockOn inside a blockOn's future").toBe(RUNTIME_IN_RUNTIME);
      expect(messages[1], "shutdown inside a blockOn's future").toMatch(/^Cannot drop a runtime in a context where blocking is not allowed/);
    } finally {
      rt.shutdown();
    }
  });

  it("a blockOn's waker used after its future completed does nothing: the future is not polled again", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(18).build();
    try {
      let polls = 0;
      let saved: Waker | null = null;
      const future = new (class extends FutureBase<string> {
        poll(cx: Context): Poll<string> {
          polls++;
          if (polls === 1) {
            saved = cx.waker.clone();
            saved.wakeByRef();
            return Pending;
          }
          return "ready";
        }
      })();
      expect(await rt.blockOn(future), "rt.blockOn(future)").toBe("ready");
      expect(polls, "polls until ready").toBe(2);
      saved!.wake();
      await macrotasks(5);
      expect(polls, "polls after the completed future's waker was used").toBe(2);
    } finally {
      rt.shutdown();
    }
  });

  it("a new runtime with nothing to do: each worker parks once, the runtime goes idle once, nobody is unparked", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(3).rngSeed(19).traceSink(sink).build();
    try {
      await macrotasks(5);
      const count = (kind: TraceEvent["kind"]) => events.filter((e) => e.kind === kind).length;
      expect(
        { parks: count("park"), idle: count("idle"), unparks: count("unpark"), polls: count("poll") },
        "trace events of an idle new runtime",
      ).toEqual({ parks: 3, idle: 1, unparks: 0, polls: 0 });
    } finally {
      rt.shutdown();
    }
  });

  it("a runtime built without rngSeed runs on a random seed", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).build();
    try {
      expect(await rt.blockOn(rt.spawn(yieldingValue(3, "unseeded")))).toBe("unseeded");
    } finally {
      rt.shutdown();
    }
  });

  it("the metrics add up: local and remote schedules, polls, alive tasks", async () => {
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(9).build();
    try {
      await rt.blockOn(
        asyncBlock(function* () {
          const parent = spawn(
            asyncBlock(function* () {
              const js: JoinHandle<void>[] = [];
              for (let i = 0; i < 10; i++) js.push(spawn(asyncBlock(function* () {})));
              for (const j of js) yield* j;
            }),
          );
          yield* parent;
        }),
      );
      const m = rt.metrics();
      const sum = (f: (w: number) => number) => [0, 1, 2, 3].reduce((n, w) => n + f(w), 0);
      expect(m.remoteScheduleCount(), "the parent, spawned by the blockOn").toBe(1);
      expect(sum((w) => m.worker(w).localScheduleCount), "ten spawns by the parent, and its wakes").toBeGreaterThanOrEqual(10);
      expect(m.spawnedTasksCount(), "m.spawnedTasksCount()").toBe(11);
      expect(m.numAliveTasks(), "m.numAliveTasks()").toBe(0);
      expect(sum((w) => m.worker(w).pollCount), "at least one poll per task, LIFO chains counting once").toBeGreaterThan(0);
      expect(m.globalQueueDepth(), "m.globalQueueDepth()").toBe(0);
    } finally {
      rt.shutdown();
    }
  });

  it("the same seed gives the same trace (global queue interval configured)", async () => {
    const configure = (b: Builder) => b.globalQueueInterval(31);
    const first = await traceOf(2024, configure);
    const second = await traceOf(2024, configure);
    expect(first.some((e) => e.kind === "steal"), "the workload steals").toBe(true);
    expect(first.some((e) => e.kind === "poll" && e.source === "lifo"), "and uses the LIFO slot").toBe(true);
    expect(() => assertSameTrace(first, second)).not.toThrow();
  });

  it("the same seed gives the same trace with the adaptive interval on a paused clock", async () => {
    const configure = (b: Builder) => b.enableTime().startPaused();
    const first = await traceOf(77, configure);
    const second = await traceOf(77, configure);
    expect(() => assertSameTrace(first, second)).not.toThrow();
  });

  it("another seed gives another interleaving, and the comparison names the first event that differs", async () => {
    const configure = (b: Builder) => b.globalQueueInterval(31);
    const a = await traceOf(1, configure);
    const b = await traceOf(2, configure);
    expect(() => assertSameTrace(a, b)).toThrow(/the traces differ at event #\d+/);
  });

  it("the trace is consistent: every poll ends on the same worker, in the same step", async () => {
    const events = await traceOf(99, (b) => b.globalQueueInterval(31));
    const open = new Map<number, Extract<TraceEvent, { kind: "poll" }>>();
    for (const e of events) {
      if (e.kind === "poll") {
        expect(open.size, `at step ${e.step}, a poll starts while another is running`).toBe(0);
        open.set(e.worker, e);
      } else if (e.kind === "poll-end") {
        const start = open.get(e.worker);
        expect(start, `poll-end at step ${e.step} without a poll`).toMatchObject({ task: e.task, step: e.step });
        open.delete(e.worker);
      }
    }
    expect(open.size, "open.size").toBe(0);
    expect(events.every((e, i) => i === 0 || e.step >= events[i - 1]!.step), "steps never go back").toBe(true);
  });

  it("a worker step polls at most one task, and counters.maintenance counts the maintenance events", async () => {
    const { events, sink } = recorder();
    const rt = Builder.newMultiThread().workerThreads(4).rngSeed(2024).eventInterval(7).globalQueueInterval(31).traceSink(sink).build();
    try {
      await rt.blockOn(busy(2024));
      const pollsPerStep = new Map<number, number>();
      for (const e of events) if (e.kind === "poll") pollsPerStep.set(e.step, (pollsPerStep.get(e.step) ?? 0) + 1);
      const crowded = [...pollsPerStep].filter(([, n]) => n > 1);
      expect(crowded, "steps (step, polls) with more than one poll").toEqual([]);
      expect(pollsPerStep.size, "steps with a poll").toBeGreaterThan(100);
      const maintenance = events.filter((e) => e.kind === "maintenance").length;
      expect(maintenance, "maintenance events").toBeGreaterThan(0);
      expect((rt.handle().inner as MultiThreadHandle).counters.maintenance, "counters.maintenance").toBe(maintenance);
    } finally {
      rt.shutdown();
    }
  });

  it("the multi-thread handle exposes Tokio's debugging counters", async () => {
    const rt = Builder.newMultiThread().workerThreads(2).rngSeed(10).build();
    try {
      await rt.blockOn(
        rt.spawn(
          asyncBlock(function* () {
            const js: JoinHandle<void>[] = [];
            for (let i = 0; i < 5; i++) js.push(spawn(asyncBlock(function* () {})));
            for (const j of js) yield* j;
          }),
        ),
      );
      const counters = (rt.handle().inner as MultiThreadHandle).counters;
      expect(counters.lifoSchedules, "polls chained from the LIFO slot").toBeGreaterThan(0);
      expect(counters.notifyLocal, "notifications from workers").toBeGreaterThan(0);
    } finally {
      rt.shutdown();
    }
  });
});
