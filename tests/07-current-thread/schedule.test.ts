/**
 * Task 3: scheduling, local and remote. A recording driver shows when the runtime is unparked.
 */
import { describe, expect, it } from "vitest";
import { Pending, pollFn, ready } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Waker } from "#kata/03-waker";
import { spawn } from "#kata/07-current-thread";
import { recordingRuntime } from "../_support/07-current-thread.ts";

/** A future that completes once `open()` was called, waking the task that waits on it. */
function gate() {
  let open = false;
  let waker: Waker | null = null;
  const future = pollFn<void>((cx) => {
    if (open) return undefined;
    waker?.drop();
    waker = cx.waker.clone();
    return Pending;
  });
  return {
    future,
    open() {
      open = true;
      const w = waker;
      waker = null;
      w?.wake();
    },
  };
}

describe("Task 3: Scheduling: local and remote", () => {
  it("a spawn from inside the runtime goes to the local queue: no inject, no unpark", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const a = spawn(ready(1));
        const b = spawn(ready(2));
        return (yield* a) + (yield* b);
      }),
    );
    expect(out).toBe(3);
    const m = rt.metrics();
    expect(m.worker(0).localScheduleCount, "two spawns, scheduled locally").toBe(2);
    expect(m.remoteScheduleCount(), "m.remoteScheduleCount()").toBe(0);
    expect(log.filter((e) => e === "unpark"), "nothing unparks a runtime from inside").toEqual([]);
  });

  it("a spawn from outside goes to the inject queue and unparks the driver", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    const h = rt.spawn(ready("outside"));
    expect(log, "pushed to inject, then unpark").toEqual(["unpark"]);
    expect(rt.metrics().globalQueueDepth()).toBe(1);
    expect(rt.metrics().remoteScheduleCount()).toBe(1);
    expect(await rt.blockOn(h), "rt.blockOn(h)").toBe("outside");
    expect(rt.metrics().globalQueueDepth()).toBe(0);
  });

  it("a task woken from a Node callback while the runtime is parked goes through inject and runs", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    const g = gate();
    const out = await rt.blockOn(
      asyncBlock(function* () {
        const h = spawn(
          asyncBlock(function* () {
            yield* g.future;
            return "woken";
          }),
        );
        setImmediate(() => g.open());
        return yield* h;
      }),
    );
    expect(out).toBe("woken");
    expect(rt.metrics().remoteScheduleCount(), "the callback's wake was remote").toBe(1);
    const parked = log.indexOf("wait");
    expect(parked, "the runtime parked without a timeout").toBeGreaterThanOrEqual(0);
    expect(log.slice(parked, parked + 3), "parked, unparked by the wake, then the driver turned").toEqual([
      "wait",
      "unpark",
      "turn",
    ]);
  });

  it("Handle.spawn from a Node callback during blockOn: inject, unpark, and the task runs", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    const g = gate();
    let ran = false;
    await rt.blockOn(
      asyncBlock(function* () {
        setImmediate(() => {
          rt.handle().spawn(
            asyncBlock(function* () {
              ran = true;
              g.open();
            }),
          );
        });
        yield* g.future;
      }),
    );
    expect(ran).toBe(true);
    expect(rt.metrics().remoteScheduleCount()).toBe(1);
    expect(log).toContain("unpark");
  });

  it("the main future's waker unparks the runtime only when used from outside", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    let polls = 0;
    await rt.blockOn(
      pollFn<void>((cx) => {
        polls++;
        if (polls === 1) {
          cx.waker.wakeByRef(); // from inside: sets the flag, no unpark
          return Pending;
        }
        if (polls === 2) {
          const w = cx.waker.clone();
          setImmediate(() => w.wake()); // from outside: unpark
          return Pending;
        }
        return undefined;
      }),
    );
    expect(polls).toBe(3);
    expect(log.filter((e) => e === "unpark")).toEqual(["unpark"]);
  });

  it("wakes of a task from inside the runtime schedule it locally, at the back of the queue", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const order: string[] = [];
    const g = gate();
    await rt.blockOn(
      asyncBlock(function* () {
        const w = spawn(
          asyncBlock(function* () {
            order.push("waiter polled");
            yield* g.future;
            order.push("waiter resumed");
          }),
        );
        const a = spawn(
          asyncBlock(function* () {
            order.push("a opens the gate");
            g.open();
          }),
        );
        const b = spawn(
          asyncBlock(function* () {
            order.push("b");
          }),
        );
        yield* w;
        yield* a;
        yield* b;
      }),
    );
    expect(order).toEqual(["waiter polled", "a opens the gate", "b", "waiter resumed"]);
    expect(rt.metrics().remoteScheduleCount()).toBe(0);
  });
});
