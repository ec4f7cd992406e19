/**
 * Task 2: Handle and the runtime context.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Pending, pending, pollFn, ready } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, Handle, NO_RUNTIME, RUNTIME_IN_RUNTIME, spawn } from "#kata/07-current-thread";
import { CONTEXT } from "#kit/context";

describe("Task 2: Handle and the runtime context", () => {
  // A guard that a failing test left live would make the tests after it fail too: each test starts outside any
  // runtime, whatever the one before it left.
  afterEach(() => {
    Object.assign(CONTEXT, { handle: null, scheduler: null, runtimeEntered: false, currentTaskId: null });
  });

  it("Handle.current() outside a runtime throws Tokio's message; tryCurrent() gives null", () => {
    expect(() => Handle.current()).toThrow(NO_RUNTIME);
    expect(NO_RUNTIME).toBe("there is no reactor running, must be called from the context of a Tokio 1.x runtime");
    expect(Handle.tryCurrent()).toBeNull();
  });

  it("inside blockOn's future and inside a task, Handle.current() is the runtime's handle; outside, nothing", async () => {
    using rt = Builder.newCurrentThread().build();
    const seen: (Handle | null)[] = [];
    await rt.blockOn(
      asyncBlock(function* () {
        seen.push(Handle.current());
        yield* spawn(
          asyncBlock(function* () {
            seen.push(Handle.current());
          }),
        );
      }),
    );
    expect(seen).toEqual([rt.handle(), rt.handle()]);
    expect(Handle.tryCurrent(), "the context is cleared when blockOn returns").toBeNull();
    expect(CONTEXT.runtimeEntered, "CONTEXT.runtimeEntered").toBe(false);
    expect(CONTEXT.scheduler).toBeNull();
  });

  it("Node callbacks that run while the runtime waits see no runtime", async () => {
    using rt = Builder.newCurrentThread().build();
    let inCallback: Handle | null | undefined;
    let started = false;
    await rt.blockOn(
      pollFn<void>((cx) => {
        if (inCallback !== undefined) return undefined;
        if (!started) {
          started = true;
          const waker = cx.waker.clone();
          setImmediate(() => {
            inCallback = Handle.tryCurrent();
            waker.wake();
          });
        }
        return Pending;
      }),
    );
    expect(inCallback, "the runtime clears its context before it awaits").toBeNull();
  });

  it("enter() makes the runtime current until its guard is disposed, and guards nest", () => {
    using a = Builder.newCurrentThread().build();
    using b = Builder.newCurrentThread().build();
    {
      using _ga = a.enter();
      expect(Handle.current(), "Handle.current()").toBe(a.handle());
      {
        using _gb = b.handle().enter();
        expect(Handle.current(), "Handle.current()").toBe(b.handle());
      }
      expect(Handle.current(), "restored by the inner guard").toBe(a.handle());
    }
    expect(Handle.tryCurrent()).toBeNull();
  });

  it("guards dropped out of order throw Tokio's message", () => {
    using a = Builder.newCurrentThread().build();
    using b = Builder.newCurrentThread().build();
    const ga = a.enter();
    const gb = b.enter();
    expect(() => ga[Symbol.dispose]()).toThrow("`EnterGuard` values dropped out of order");
    gb[Symbol.dispose]();
    ga[Symbol.dispose]();
    expect(Handle.tryCurrent(), "after gb and then ga: a dispose that threw left ga live, so this one restored").toBeNull();
  });

  it("a guard disposed twice does nothing the second time; the out-of-order message is Tokio's, whole", () => {
    using a = Builder.newCurrentThread().build();
    using b = Builder.newCurrentThread().build();
    const ga = a.enter();
    ga[Symbol.dispose]();
    expect(() => ga[Symbol.dispose](), "a second dispose").not.toThrow();
    expect(Handle.tryCurrent()).toBeNull();
    const g1 = a.enter();
    const g2 = b.enter();
    expect(() => g1[Symbol.dispose]()).toThrow(
      "`EnterGuard` values dropped out of order. Guards returned by `tokio::runtime::Handle::enter()` must be dropped in the reverse order as they were acquired.",
    );
    g2[Symbol.dispose]();
    g1[Symbol.dispose]();
  });

  it("Handle.blockOn runs a future on the runtime; a main future woken from a Node callback completes", async () => {
    using rt = Builder.newCurrentThread().build();
    expect(await rt.handle().blockOn(ready(5)), "through the handle").toBe(5);
    let polls = 0;
    const out = await rt.blockOn(
      pollFn<string>((cx) => {
        if (++polls === 2) return "woken from outside";
        const waker = cx.waker.clone();
        setImmediate(() => waker.wake()); // outside the runtime: it must unpark the sleeping driver
        return Pending;
      }),
    );
    expect(out).toBe("woken from outside");
  });

  it("two blockOn calls at once: the second polls its future itself, inside the runtime's context", async () => {
    using rt = Builder.newCurrentThread().build();
    let seen: Handle | null = null;
    let release: (() => void) | null = null;
    const first = rt.blockOn(
      pollFn<string>((cx) => {
        if (release === null) {
          const waker = cx.waker.clone();
          release = () => waker.wake();
          return Pending;
        }
        return "first";
      }),
    );
    let polls = 0;
    let nested: unknown = null;
    const second = rt.blockOn(
      pollFn<string>((cx) => {
        seen = Handle.tryCurrent();
        try {
          void rt.blockOn(ready(0));
        } catch (e) {
          nested = e;
        }
        if (++polls < 3) {
          const waker = cx.waker.clone();
          setImmediate(() => waker.wake());
          return Pending;
        }
        return "second";
      }),
    );
    expect(await second, "the second completes while the first still holds the core").toBe("second");
    expect(seen, "its future saw the runtime's handle").toBe(rt.handle());
    expect((nested as Error | null)?.message, "and runs inside the runtime: blockOn there throws").toBe(RUNTIME_IN_RUNTIME);
    expect(Handle.tryCurrent(), "the context is restored after each of its polls").toBeNull();
    release!();
    expect(await first).toBe("first");
  });

  it("spawn() outside a runtime throws; inside enter() it spawns onto that runtime", async () => {
    expect(() => spawn(ready(1))).toThrow(NO_RUNTIME);
    using rt = Builder.newCurrentThread().build();
    let handle;
    {
      using _g = rt.enter();
      handle = spawn(ready(5));
    }
    expect(handle.isFinished(), "not run until the runtime is driven").toBe(false);
    expect(await rt.blockOn(handle), "rt.blockOn(handle)").toBe(5);
  });

  it("blockOn inside a runtime throws Tokio's message instead of blocking", async () => {
    using rt = Builder.newCurrentThread().build();
    const errors = await rt.blockOn(
      asyncBlock(function* () {
        const out: string[] = [];
        for (const f of [() => rt.blockOn(ready(1)), () => rt.handle().blockOn(ready(1))]) {
          try {
            void f();
            out.push("no error");
          } catch (e) {
            out.push((e as Error).message);
          }
        }
        return out;
      }),
    );
    expect(errors).toEqual([RUNTIME_IN_RUNTIME, RUNTIME_IN_RUNTIME]);
    expect(RUNTIME_IN_RUNTIME.startsWith("Cannot start a runtime from within a runtime.")).toBe(true);
  });

  it("a handle reports the flavour, its driver and the metrics of its runtime", () => {
    using rt = Builder.newCurrentThread().build();
    const h = rt.handle();
    expect(rt.handle(), "rt.handle()").toBe(h);
    expect(h.runtimeFlavor(), "h.runtimeFlavor()").toBe("current_thread");
    expect(h.driver, "h.driver").toBe(h.inner.driver);
    expect(h.metrics().numWorkers()).toBe(1);
    expect(h.metrics().numAliveTasks()).toBe(0);
    h.spawn(pending());
    expect(rt.metrics().numAliveTasks()).toBe(1);
    expect(rt.metrics().spawnedTasksCount()).toBe(1);
  });
});
