/**
 * Hidden suite of chapter 15, task 3: a `Promise` as a future (`fromPromise`, holding the runtime's event loop while
 * pending) and a future as a `Promise` (`toPromise`, settling with the JoinHandle's outcome).
 */
import { describe, expect, it } from "vitest";
import { Pending, pending } from "#kata/01-poll";
import { asyncBlock, type AsyncGen } from "#kata/02-state-machines";
import { blockOn } from "#kata/04-block-on";
import type { JoinError } from "#kata/06-task";
import { Builder, Handle, NO_RUNTIME, spawn } from "#kata/07-current-thread";
import { yieldNow } from "#kata/14-blocking";
import { now, sleep } from "#kata/13-time";
import { fromPromise, toPromise } from "#kata/15-coloring";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { currentThread, runOn } from "../_support/15-coloring.ts";

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets Node run the promise callbacks queued so far. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Task 3: Promises and futures", () => {
  it("fromPromise completes with the value on a poll after the promise settled, and wakes its waker once", async () => {
    const f = fromPromise(Promise.resolve(5));
    const p = probe();
    expect(p.poll(f), "a promise's callbacks run later, never during the poll").toBe(Pending);
    await tick();
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
    expect(p.poll(f), "p.poll(f)").toBe(5);
    expect(p.stats.refs, "no waker kept").toBe(1);
    expect(() => p.poll(f)).toThrow();
  });

  it("a pending fromPromise keeps one clone of the waker, replaced (and the old one dropped) only for another task's", async () => {
    const d = deferred<number>();
    const f = fromPromise(d.promise);
    const first = tracked();
    const second = probe();
    expect(f.poll(first.cx), "f.poll(first.cx)").toBe(Pending);
    expect(f.poll(first.cx), "f.poll(first.cx)").toBe(Pending);
    expect({ ...first.calls }, "polled twice by one task: one clone, kept").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    expect(f.poll(second.cx), "f.poll(second.cx)").toBe(Pending);
    expect([first.calls.drop, second.stats.refs], "another task's waker replaces it").toEqual([1, 2]);
    d.resolve(1);
    await tick();
    expect([first.calls.wake, second.stats.wakes], "the settle wakes the last task that polled").toEqual([0, 1]);
  });

  it("a rejected promise throws its reason out of the future", async () => {
    const out = await runOn(currentThread(), function* () {
      try {
        yield* fromPromise(Promise.reject(new Error("nope")));
        return "resolved";
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(out).toBe("nope");
  });

  it("while the promise is pending the future holds the runtime's event loop, and lets go once it settled", async () => {
    const d = deferred<string>();
    const out = await runOn(currentThread(), function* () {
      const driver = Handle.current().driver;
      const before = driver.holdsEventLoop;
      const task = spawn(fromPromise(d.promise));
      yield* yieldNow();
      const waiting = driver.holdsEventLoop;
      d.resolve("ok");
      const value = yield* task;
      return { before, waiting, value, after: driver.holdsEventLoop };
    });
    expect(out).toEqual({ before: false, waiting: true, value: "ok", after: false });
  });

  it("a future dropped while pending lets go of the event loop once, and is never woken", async () => {
    const d = deferred<number>();
    const p = probe();
    const out = await runOn(currentThread(), function* () {
      const driver = Handle.current().driver;
      const f = fromPromise(d.promise);
      expect(p.poll(f), "p.poll(f)").toBe(Pending);
      const held = driver.holdsEventLoop;
      f[Symbol.dispose]();
      const dropped = driver.holdsEventLoop;
      d.resolve(1);
      yield* fromPromise(tick());
      return { held, dropped, after: driver.holdsEventLoop };
    });
    expect(out).toEqual({ held: true, dropped: false, after: false });
    expect(p.stats.wakes, "p.stats.wakes").toBe(0);
    expect(p.stats.refs, "p.stats.refs").toBe(1);
  });

  it("a runtime that always has work to do still lets the promise settle promptly", async () => {
    const rt = Builder.newCurrentThread().build();
    const out = await runOn(rt, function* () {
      let spins = 0;
      const busy = spawn(
        asyncBlock(function* () {
          while (spins < 2_000) {
            spins++;
            yield* yieldNow();
          }
        }),
      );
      const value = yield* fromPromise(new Promise<string>((resolve) => setImmediate(() => resolve("settled"))));
      const at = spins;
      busy.abort();
      return { value, at };
    });
    expect(out.value, "out.value").toBe("settled");
    expect(out.at, "the busy task's turns before the promise's value arrived").toBeLessThan(50);
  });

  it("outside any runtime it holds nothing: chapter 04's blockOn drives it like any future", async () => {
    expect(Handle.tryCurrent()).toBeNull();
    expect(await blockOn(fromPromise(tick().then(() => "outside")))).toBe("outside");
  });

  it("toPromise spawns the future on the runtime and settles with its output", async () => {
    const rt = currentThread();
    const stop = deferred<void>();
    const main = rt.blockOn(fromPromise(stop.promise));
    const value = await toPromise(
      asyncBlock(function* () {
        yield* sleep(10);
        return `slept until ${now()}`;
      }),
      rt.handle(),
    );
    stop.resolve();
    await main;
    rt.shutdown();
    expect(value).toBe("slept until 10");
  });

  it("toPromise rejects with the task's JoinError: panic with what it threw, cancelled at shutdown", async () => {
    const rt = currentThread();
    const stop = deferred<void>();
    const main = rt.blockOn(fromPromise(stop.promise));
    const thrown = new Error("task failed");
    const panicked = await toPromise(
      asyncBlock(function* (): AsyncGen<never> {
        yield* yieldNow();
        throw thrown;
      }),
      rt.handle(),
    ).catch((e: JoinError) => ({ kind: e.kind, value: e.intoPanic() }));
    const never = toPromise(pending<string>(), rt.handle()).catch((e: JoinError) => e.kind);
    await tick();
    stop.resolve();
    await main;
    rt.shutdown();
    expect(panicked).toEqual({ kind: "panic", value: thrown });
    expect(await never).toBe("cancelled");
  });

  it("inside a task toPromise uses the current runtime; outside one it is Tokio's error", async () => {
    const out = await runOn(currentThread(), function* () {
      const promise = toPromise(
        asyncBlock(function* () {
          yield* sleep(5);
          return 99;
        }),
      );
      return yield* fromPromise(promise);
    });
    expect(out).toBe(99);
    expect(() => toPromise(pending())).toThrow(NO_RUNTIME);
  });
});
