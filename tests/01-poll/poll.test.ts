/**
 * Hidden suite of chapter 01: the trivial futures, the self-waking countdown and the spinning executor.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { Context, Waker } from "#kata/03-waker";
import {
  Countdown,
  Pending,
  SpinLimitError,
  countdown,
  lazy,
  pending,
  pollFn,
  ready,
  spin,
  type Future,
} from "#kata/01-poll";
import { probe } from "../_support/poll.ts";
import { Scripted, counts, tracked } from "../_support/01-poll.ts";

/** No vtable call at all. */
const UNTOUCHED = { clone: 0, wake: 0, wakeByRef: 0, drop: 0 };

describe("Task 1: Ready and pending", () => {
  it("ready(v) completes on its first poll with v itself", () => {
    const p = probe();
    const value = { big: [1, 2, 3] };
    expect(p.poll(ready(value)), "the first poll returns the very same object").toBe(value);
  });

  it("ready() treats falsy values as values, not as Pending", () => {
    const p = probe();
    for (const v of [undefined, null, 0, false, ""]) {
      expect(p.poll(ready<unknown>(v)), `ready(${String(v)})`).toBe(v);
    }
  });

  it("a second poll of ready() throws '`Ready` polled after completion'", () => {
    const p = probe();
    const r = ready(1);
    p.poll(r);
    expect(() => p.poll(r)).toThrow("`Ready` polled after completion");
  });

  it("pending() is Pending on every poll and never touches the waker", () => {
    const { cx, calls } = tracked();
    const never = pending<string>();
    for (let i = 0; i < 50; i++) expect(never.poll(cx), `poll ${i + 1}`).toBe(Pending);
    expect(calls, "pending() must not wake, clone or drop the waker").toEqual(UNTOUCHED);
  });

  it("ready() neither wakes nor clones the waker", () => {
    const { cx, calls } = tracked();
    ready("x").poll(cx);
    expect(calls, "a ready future has no reason to touch the waker").toEqual(UNTOUCHED);
  });
});

describe("Task 2: Futures from closures", () => {
  it("pollFn calls f exactly once per poll, with that poll's context", () => {
    const seen: Context[] = [];
    const f = pollFn<number>((cx) => {
      seen.push(cx);
      return seen.length === 3 ? 42 : Pending;
    });
    const a = probe();
    const b = probe();
    expect([a.poll(f), b.poll(f), a.poll(f)]).toEqual([Pending, Pending, 42]);
    expect(seen, "the context of each poll, in order").toEqual([a.cx, b.cx, a.cx]);
    expect(seen[0]).toBe(a.cx);
    expect(seen[1]).toBe(b.cx);
  });

  it("pollFn is complete once f returned a value: the next poll throws without calling f", () => {
    let calls = 0;
    const f = pollFn(() => {
      calls++;
      return undefined;
    });
    const p = probe();
    expect(p.poll(f), "undefined is a ready value").toBeUndefined();
    expect(() => p.poll(f)).toThrow("`PollFn` polled after completion");
    expect(calls, "f must not run after completion").toBe(1);
  });

  it("pollFn: the closure's state survives between polls (yield_now)", () => {
    let yielded = false;
    const yieldNow = pollFn<string>((cx) => {
      if (yielded) return "after";
      yielded = true;
      cx.waker.wakeByRef();
      return Pending;
    });
    const p = probe();
    expect(p.poll(yieldNow), "p.poll(yieldNow)").toBe(Pending);
    expect(p.stats.wakes, "the closure woke the task once").toBe(1);
    expect(p.poll(yieldNow), "p.poll(yieldNow)").toBe("after");
  });

  it("lazy runs nothing before the first poll, then runs f once with the poll's context", () => {
    const calls: Context[] = [];
    const fut = lazy((cx) => {
      calls.push(cx);
      return "value";
    });
    expect(calls, "creating a lazy future must not run f").toEqual([]);
    const p = probe();
    expect(p.poll(fut), "p.poll(fut)").toBe("value");
    expect(calls.length, "calls.length").toBe(1);
    expect(calls[0]).toBe(p.cx);
  });

  it("lazy polled after completion throws '`Lazy` polled after completion' and does not run f again", () => {
    let calls = 0;
    const fut = lazy(() => ++calls);
    const p = probe();
    expect(p.poll(fut), "p.poll(fut)").toBe(1);
    expect(() => p.poll(fut)).toThrow("`Lazy` polled after completion");
    expect(calls).toBe(1);
  });

  it("lazy completes with undefined when f returns nothing (it is never Pending)", () => {
    const p = probe();
    expect(p.poll(lazy(() => undefined))).toBeUndefined();
  });
});

describe("Task 3: A countdown that wakes itself", () => {
  it("countdown(3) is Pending three times, then ready with 4", () => {
    const p = probe();
    const c = countdown(3);
    expect([p.poll(c), p.poll(c), p.poll(c), p.poll(c)]).toEqual([Pending, Pending, Pending, 4]);
  });

  it("each Pending wakes by reference: wakes go up by one per poll, refs stay at 1", () => {
    const p = probe();
    const c = countdown(4);
    for (let i = 1; i <= 4; i++) {
      expect(p.poll(c), "p.poll(c)").toBe(Pending);
      expect(counts(p), `after pending poll ${i}: one wakeByRef per poll, no clone, no consume`).toEqual({
        refs: 1,
        wakes: i,
      });
    }
    expect(p.poll(c), "p.poll(c)").toBe(5);
    expect(p.stats.wakes, "the ready poll does not wake").toBe(4);
  });

  it("the wake is wakeByRef itself: no clone, no wake by value, no drop", () => {
    const { cx, calls } = tracked();
    const c = countdown(3);
    for (let i = 0; i < 4; i++) c.poll(cx);
    expect(calls, "vtable calls over 3 pending polls and the ready one").toEqual({
      clone: 0,
      wake: 0,
      wakeByRef: 3,
      drop: 0,
    });
  });

  it("countdown(0) is ready at once with 1 and never wakes", () => {
    const p = probe();
    expect(p.poll(countdown(0))).toBe(1);
    expect(p.stats.wakes, "p.stats.wakes").toBe(0);
  });

  it("the constructor rejects n that is negative, fractional or not a number with a RangeError", () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => countdown(n), `countdown(${n}) must throw a RangeError`).toThrow(RangeError);
    }
    expect(new Countdown(2)).toBeInstanceOf(Countdown);
  });

  it("a countdown polled after completion throws '`Countdown` polled after completion'", () => {
    const p = probe();
    const c = countdown(1);
    p.poll(c);
    p.poll(c);
    expect(() => p.poll(c)).toThrow("`Countdown` polled after completion");
  });
});

describe("Task 4: A spinning executor", () => {
  it("spin returns the output and counts polls and wasted polls", () => {
    const report = spin(countdown(5));
    expect(report).toEqual({ output: 6, polls: 6, wasted: 5 });
    expectTypeOf(report.output).toEqualTypeOf<number>();
  });

  it("a ready future costs one poll and wastes none", () => {
    expect(spin(ready("now"))).toEqual({ output: "now", polls: 1, wasted: 0 });
  });

  it("spin ignores wakes: a future that never wakes is polled again anyway", () => {
    const f = new Scripted((n) => (n < 4 ? Pending : "late"));
    expect(spin(f), "spin(f)").toEqual({ output: "late", polls: 4, wasted: 3 });
  });

  it("spin passes one context, built on the no-op waker, to every poll", () => {
    const seen: Context[] = [];
    const f = new Scripted((n, cx) => {
      seen.push(cx);
      cx.waker.wakeByRef();
      return n < 3 ? Pending : n;
    });
    spin(f);
    expect(seen.length, "seen.length").toBe(3);
    expect(seen[1], "the same context object on every poll").toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[0]!.waker.willWake(Waker.noop()), "the waker is Waker.noop()").toBe(true);
  });

  it("spin gives up after exactly maxPolls polls, disposes the future once, and throws SpinLimitError", () => {
    const f = new Scripted<number>(() => Pending);
    let error: unknown;
    try {
      spin(f, 7);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpinLimitError);
    expect((error as SpinLimitError).maxPolls, "error.maxPolls").toBe(7);
    expect(f.polls, "polls made before giving up").toBe(7);
    expect(f.disposed, "an abandoned future is disposed exactly once").toBe(1);
  });

  it("spin with maxPolls = 0 polls nothing", () => {
    const f = new Scripted(() => 1);
    expect(() => spin(f, 0)).toThrow(SpinLimitError);
    expect(f.polls, "f.polls").toBe(0);
  });

  it("the default limit is 1,000,000 polls", () => {
    const f = new Scripted<number>(() => Pending);
    expect(() => spin(f)).toThrow(SpinLimitError);
    expect(f.polls, "f.polls").toBe(1_000_000);
  });

  it("an error thrown by poll propagates out of spin unchanged, and the future is disposed once", () => {
    const boom = new Error("boom");
    const f = new Scripted((n) => {
      if (n === 2) throw boom;
      return Pending;
    });
    let error: unknown;
    try {
      spin(f);
    } catch (e) {
      error = e;
    }
    expect(error, "the very error the future threw").toBe(boom);
    expect(f.polls, "f.polls").toBe(2);
    expect(f.disposed, "f.disposed").toBe(1);
  });

  it("a future without [Symbol.dispose] (it is optional) still gives its error, or SpinLimitError, unchanged", () => {
    const boom = new Error("boom");
    const throwing: Future<number> = { poll: () => { throw boom; } } as unknown as Future<number>;
    expect(() => spin(throwing), "the future's own error, not a failed call to a missing dispose").toThrow(boom);
    const never: Future<number> = { poll: () => Pending } as unknown as Future<number>;
    expect(() => spin(never, 3), "the limit's error, not a failed call to a missing dispose").toThrow(SpinLimitError);
  });

  it("a completed future is not disposed by spin", () => {
    const f = new Scripted((n) => (n === 2 ? "ok" : Pending));
    spin(f);
    expect(f.disposed, "only abandoned futures are disposed").toBe(0);
  });
});
