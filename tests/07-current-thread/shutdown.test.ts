/**
 * Task 5: shutdown.
 */
import { describe, expect, it } from "vitest";
import { Pending, ready, type Future, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context, Waker } from "#kata/03-waker";
import { Builder, Handle, spawn } from "#kata/07-current-thread";
import { joinErrorOf } from "../_support/06-task.ts";
import { recordingRuntime } from "../_support/07-current-thread.ts";

/** A future that never completes, keeps its waker, and records its drop. */
class Forever implements Future<never> {
  dropped = 0;
  waker: Waker | null = null;
  onDrop: () => void = () => {};
  poll(cx: Context): Poll<never> {
    this.waker ??= cx.waker.clone();
    return Pending;
  }
  *[Symbol.iterator](): Generator<Future<unknown>, never, unknown> {
    return (yield this) as never;
  }
  [Symbol.dispose](): void {
    this.dropped++;
    this.waker?.drop();
    this.waker = null;
    this.onDrop();
  }
}

describe("Task 5: Shutdown", () => {
  it("shutdown drops every task's future once, wherever it is, and their handles report cancelled", async () => {
    const rt = Builder.newCurrentThread().build();
    const idle = new Forever();
    const queued = new Forever();
    const remote = new Forever();
    const handles = await rt.blockOn(
      asyncBlock(function* () {
        const a = spawn(idle);
        yield* spawn(ready(0)); // by now `idle` has been polled and waits
        return [a, spawn(queued)] as const; // `queued` is left in the local queue
      }),
    );
    expect([idle.waker === null, queued.waker === null], "polled / never polled").toEqual([false, true]);
    const late = rt.spawn(remote);
    rt.shutdown();
    expect([idle.dropped, queued.dropped, remote.dropped]).toEqual([1, 1, 1]);
    expect([...handles, late].map((h) => joinErrorOf(h).isCancelled())).toEqual([true, true, true]);
    expect(rt.metrics().numAliveTasks()).toBe(0);
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(true);
  });

  it("after shutdown a spawn is cancelled at once and blockOn rejects", async () => {
    const rt = Builder.newCurrentThread().build();
    rt.shutdown();
    const f = new Forever();
    const h = rt.spawn(f);
    expect(f.dropped, "the future is dropped unpolled").toBe(1);
    expect(h.isFinished(), "h.isFinished()").toBe(true);
    expect(joinErrorOf(h).isCancelled()).toBe(true);
    await expect(rt.blockOn(ready(1))).rejects.toThrow();
  });

  it("shutdown is idempotent, shuts the driver down once, and runs on [Symbol.dispose]", async () => {
    const { rt, log } = recordingRuntime();
    const f = new Forever();
    {
      using scoped = rt;
      scoped.spawn(f);
    }
    expect(f.dropped, "f.dropped").toBe(1);
    expect(log.filter((e) => e === "shutdown")).toEqual(["shutdown"]);
    rt.shutdown();
    expect(log.filter((e) => e === "shutdown"), "a second shutdown does nothing").toEqual(["shutdown"]);
  });

  it("shutdownTimeout drops every task too, then waits for the blocking pool", async () => {
    const { rt, log } = recordingRuntime();
    const f = new Forever();
    rt.spawn(f);
    await rt.shutdownTimeout(100);
    expect(f.dropped, "f.dropped").toBe(1);
    expect(log.filter((e) => e === "shutdown")).toEqual(["shutdown"]);
  });

  it("futures are dropped inside the runtime's context", async () => {
    const rt = Builder.newCurrentThread().build();
    const f = new Forever();
    let during: Handle | null = null;
    f.onDrop = () => {
      during = Handle.tryCurrent();
    };
    rt.spawn(f);
    rt.shutdown();
    expect(during).toBe(rt.handle());
    expect(Handle.tryCurrent()).toBeNull();
  });

  it("a task woken while another task's future is dropped is dropped too", async () => {
    const rt = Builder.newCurrentThread().build();
    const a = new Forever();
    const b = new Forever();
    const ha = rt.spawn(a);
    const hb = rt.spawn(b);
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spawn(ready(0));
      }),
    );
    a.onDrop = () => b.waker?.wakeByRef();
    b.onDrop = () => a.waker?.wakeByRef();
    rt.shutdown();
    expect([a.dropped, b.dropped]).toEqual([1, 1]);
    expect([joinErrorOf(ha).isCancelled(), joinErrorOf(hb).isCancelled()]).toEqual([true, true]);
    expect(rt.metrics().numAliveTasks()).toBe(0);
  });

  it("shutting a runtime down from inside its own blockOn is refused", async () => {
    const rt = Builder.newCurrentThread().build();
    const message = await rt.blockOn(
      asyncBlock(function* () {
        try {
          rt.shutdown();
          return "no error";
        } catch (e) {
          return (e as Error).message;
        }
      }),
    );
    expect(message).not.toBe("no error");
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(false);
    rt.shutdown();
    expect(rt.isShutdown(), "rt.isShutdown()").toBe(true);
  });
});
