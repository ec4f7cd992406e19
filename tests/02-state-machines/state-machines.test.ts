/**
 * Hidden suite of chapter 02: the hand-compiled `example()`, combinators, the generator adapter and drop.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { FutureBase, Pending, countdown, ready, type Future, type Poll } from "#kata/01-poll";
import { andThen, asyncBlock, asyncFn, example, join, joinAll, map, type GenFuture } from "#kata/02-state-machines";
import { probe } from "../_support/poll.ts";
import { Scripted } from "../_support/01-poll.ts";

/** A future that is pending `n` times (without waking) and then ready with `value`. */
const after = <T>(n: number, value: T) => new Scripted<T>((k) => (k > n ? value : Pending));

describe("Task 1: The example state machine", () => {
  it("nothing runs before the first poll: no call to readValue, state Start", () => {
    let calls = 0;
    const fut = example(
      () => {
        calls++;
        return ready(1);
      },
      (x) => ready(x),
    );
    expect(fut.state, "fut.state").toEqual({ tag: "Start" });
    expect(calls, "readValue must not be called before the first poll").toBe(0);
  });

  it("one poll goes as far as it can: ready futures carry it straight to Done with x + y", () => {
    const computed: number[] = [];
    const fut = example(
      () => ready(2),
      (x) => {
        computed.push(x);
        return ready(x * 10);
      },
    );
    expect(probe().poll(fut), "one poll, no Pending in between").toBe(22);
    expect(computed, "compute(x) is called once, with x").toEqual([2]);
    expect(fut.state, "fut.state").toEqual({ tag: "Done" });
  });

  it("Awaiting1 holds the first future and nothing else", () => {
    const first = after(1, 5);
    const fut = example(
      () => first,
      (x) => ready(x),
    );
    expect(probe().poll(fut)).toBe(Pending);
    const s = fut.state;
    expect(Object.keys(s).sort(), "the variant's properties").toEqual(["fut", "tag"]);
    expect(s.tag, "s.tag").toBe("Awaiting1");
    expect(s.tag === "Awaiting1" && s.fut, "the future readValue() returned").toBe(first);
  });

  it("Awaiting2 holds x and the second future only: the first future is no longer kept", () => {
    const first = ready(7);
    const second = after(1, 3);
    const fut = example(
      () => first,
      () => second,
    );
    expect(probe().poll(fut)).toBe(Pending);
    const s = fut.state;
    expect(Object.keys(s).sort(), "the variant's properties").toEqual(["fut", "tag", "x"]);
    expect(s).toMatchObject({ tag: "Awaiting2", x: 7 });
    expect(s.tag === "Awaiting2" && s.fut, "the future compute(x) returned").toBe(second);
  });

  it("it resumes where it stopped: each inner future is polled with the caller's cx, and made only once", () => {
    let reads = 0;
    let computes = 0;
    const first = after(2, 4);
    const second = after(3, 6);
    const fut = example(
      () => (reads++, first),
      () => (computes++, second),
    );
    const p = probe();
    const outs = [];
    for (let i = 0; i < 6; i++) outs.push(p.poll(fut));
    expect(outs).toEqual([Pending, Pending, Pending, Pending, Pending, 10]);
    expect([reads, computes], "readValue and compute each called once").toEqual([1, 1]);
    expect([first.polls, second.polls], "polls of each inner future").toEqual([3, 4]);
    expect(
      [...first.contexts, ...second.contexts].every((cx) => cx === p.cx),
      "inner futures are polled with the cx poll() received",
    ).toBe(true);
  });

  it("polling in Done throws '`example()` polled after completion'", () => {
    const fut = example(
      () => ready(1),
      () => ready(2),
    );
    const p = probe();
    p.poll(fut);
    expect(() => p.poll(fut)).toThrow("`example()` polled after completion");
  });
});

describe("Task 2: Map and andThen", () => {
  it("map calls f once, with the output, and only when the inner future is ready", () => {
    const seen: number[] = [];
    const m = map(after(2, 5), (v) => {
      seen.push(v);
      return `v=${v}`;
    });
    const p = probe();
    expect([p.poll(m), p.poll(m)]).toEqual([Pending, Pending]);
    expect(seen, "f must not run while pending").toEqual([]);
    expect(p.poll(m), "p.poll(m)").toBe("v=5");
    expect(seen).toEqual([5]);
  });

  it("map polls the inner future with its own cx", () => {
    const inner = after(1, 1);
    const m = map(inner, (v) => v + 1);
    const p = probe();
    p.poll(m);
    p.poll(m);
    expect(inner.contexts, "inner.contexts").toEqual([p.cx, p.cx]);
  });

  it("map polled after completion throws '`Map` polled after completion' without polling the inner future", () => {
    const inner = after(0, 1);
    const m = map(inner, (v) => v);
    const p = probe();
    p.poll(m);
    expect(() => p.poll(m)).toThrow("`Map` polled after completion");
    expect(inner.polls, "polls of the inner future (never polled after it completed)").toBe(1);
  });

  it("andThen polls the second future in the same poll in which the first completes", () => {
    const second = after(0, "done");
    const a = andThen(ready(3), (n) => {
      expect(n).toBe(3);
      return second;
    });
    expect(probe().poll(a)).toBe("done");
    expect(second.polls, "polls of the second future").toBe(1);
  });

  it("andThen never polls the first future again once it completed, and calls f once", () => {
    const first = after(1, 2);
    const second = after(2, 9);
    let calls = 0;
    const a = andThen(first, () => (calls++, second));
    const p = probe();
    const outs = [p.poll(a), p.poll(a), p.poll(a), p.poll(a)];
    expect(outs).toEqual([Pending, Pending, Pending, 9]);
    expect([first.polls, second.polls, calls], "[first polls, second polls, f calls]").toEqual([2, 3, 1]);
  });

  it("andThen polled after completion throws '`AndThen` polled after completion'", () => {
    const a = andThen(ready(1), (n) => ready(n));
    const p = probe();
    p.poll(a);
    expect(() => p.poll(a)).toThrow("`AndThen` polled after completion");
  });
});

describe("Task 3: Join", () => {
  it("every unfinished child is polled on every poll, in order, even after one returned Pending", () => {
    const order: string[] = [];
    const child = (name: string, n: number) =>
      new Scripted<string>((k) => {
        order.push(`${name}${k}`);
        return k > n ? name : Pending;
      });
    const j = joinAll([child("a", 1), child("b", 0), child("c", 2)]);
    const p = probe();
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(order, "first poll: all three").toEqual(["a1", "b1", "c1"]);
    order.length = 0;
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(order, "second poll: b finished, a and c are polled").toEqual(["a2", "c2"]);
  });

  it("outputs come in the children's order, not in the order they finished", () => {
    const j = joinAll([after(3, "slow"), after(0, "fast"), after(1, "mid")]);
    const p = probe();
    let out: string[] | typeof Pending = Pending;
    for (let i = 0; i < 4 && out === Pending; i++) out = p.poll(j);
    expect(out).toEqual(["slow", "fast", "mid"]);
  });

  it("a finished child is never polled again", () => {
    const fast = after(0, 1);
    const slow = after(4, 2);
    const j = join(fast, slow);
    const p = probe();
    for (let i = 0; i < 5; i++) p.poll(j);
    expect(fast.polls, "polls of the child that finished at once").toBe(1);
    expect(slow.polls, "polls of the child still pending (one per poll of the join)").toBe(5);
  });

  it("each child is polled with the join's cx, so a child's wake reaches the task", () => {
    const p = probe();
    const j = join(countdown(1), countdown(2));
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(p.stats.wakes, "both countdowns woke the task").toBe(2);
  });

  it("an empty join completes on its first poll with []", () => {
    expect(probe().poll(joinAll<number>([]))).toEqual([]);
  });

  it("join has a tuple output type and polling after completion throws 'join polled after completion'", () => {
    const j = join(ready(1), ready("a"));
    expectTypeOf(j).toEqualTypeOf<Future<[number, string]>>();
    expectTypeOf(joinAll([ready(1), ready(2)]).poll).returns.toEqualTypeOf<number[] | typeof Pending>();
    const p = probe();
    expect(p.poll(j), "p.poll(j)").toEqual([1, "a"]);
    expect(() => p.poll(j)).toThrow("join polled after completion");
  });
});

describe("Task 4: Async functions from generators", () => {
  it("nothing in the body runs before the first poll", () => {
    const log: string[] = [];
    const fut = asyncBlock(function* () {
      log.push("body");
      return 1;
    });
    expect(log).toEqual([]);
    expect(probe().poll(fut)).toBe(1);
    expect(log).toEqual(["body"]);
  });

  it("yield* evaluates to the future's output, with its type", () => {
    const fut = asyncBlock(function* () {
      const n = yield* ready(20);
      const s = yield* ready("x");
      expectTypeOf(n).toEqualTypeOf<number>();
      expectTypeOf(s).toEqualTypeOf<string>();
      return `${s}${n + 1}`;
    });
    expectTypeOf(fut).toEqualTypeOf<GenFuture<string>>();
    expect(probe().poll(fut)).toBe("x21");
  });

  it("one poll runs through every ready future and stops at the first Pending", () => {
    const log: string[] = [];
    const fut = asyncBlock(function* () {
      log.push("a");
      yield* ready(1);
      log.push("b");
      yield* ready(2);
      log.push("c");
      yield* after(1, 3);
      log.push("d");
      return 4;
    });
    const p = probe();
    expect(p.poll(fut), "p.poll(fut)").toBe(Pending);
    expect(log, "after the first poll").toEqual(["a", "b", "c"]);
    expect(p.poll(fut), "p.poll(fut)").toBe(4);
    expect(log).toEqual(["a", "b", "c", "d"]);
  });

  it("after Pending, the next poll polls the same future again before resuming the body", () => {
    const awaited = after(2, "ok");
    let resumed = 0;
    const fut = asyncBlock(function* () {
      const v = yield* awaited;
      resumed++;
      return v;
    });
    const p = probe();
    expect([p.poll(fut), p.poll(fut)]).toEqual([Pending, Pending]);
    expect(resumed, "the body must not resume while the future is pending").toBe(0);
    expect(p.poll(fut), "p.poll(fut)").toBe("ok");
    expect(awaited.polls, "awaited.polls").toBe(3);
    expect(awaited.contexts.every((cx) => cx === p.cx), "awaited futures get the poll's cx").toBe(true);
  });

  it("an error thrown by an awaited future is thrown into the body at the yield*, where try/catch sees it", () => {
    const boom = new Error("boom");
    const failing = new Scripted<number>(() => {
      throw boom;
    });
    const fut = asyncBlock(function* () {
      try {
        yield* failing;
        return "not reached";
      } catch (e) {
        return e === boom ? "caught" : "wrong error";
      }
    });
    expect(probe().poll(fut)).toBe("caught");
  });

  it("a body that throws completes the future: the error propagates, and a later poll throws", () => {
    const boom = new Error("body failed");
    const fut = asyncBlock(function* () {
      yield* ready(1);
      throw boom;
    });
    const p = probe();
    expect(() => p.poll(fut)).toThrow(boom);
    expect(() => p.poll(fut)).toThrow("async function polled after completion");
  });

  it("polling a completed async function throws 'async function polled after completion'", () => {
    const fut = asyncBlock(function* () {
      return 1;
    });
    const p = probe();
    p.poll(fut);
    expect(() => p.poll(fut)).toThrow("async function polled after completion");
  });

  it("yielding a value that is not a future throws a TypeError that says so", () => {
    const fut = asyncBlock(function* () {
      // the classic mistake: `yield` instead of `yield*`
      yield 42 as unknown as Future<unknown>;
      return 1;
    });
    expect(() => probe().poll(fut)).toThrow(TypeError);
    const fut2 = asyncBlock(function* () {
      yield null as unknown as Future<unknown>;
      return 1;
    });
    expect(() => probe().poll(fut2)).toThrow(/not a future/);
  });

  it("an object without a poll method is not a future either: the TypeError says so before anything polls it", () => {
    const fut = asyncBlock(function* () {
      yield { then: () => {} } as unknown as Future<unknown>; // a promise-like, yielded by mistake
      return 1;
    });
    expect(() => probe().poll(fut)).toThrow(/not a future/);
  });

  it("after the not-a-future TypeError the body's finally blocks have run, and the future is complete", () => {
    const log: string[] = [];
    const fut = asyncBlock(function* () {
      try {
        yield 42 as unknown as Future<unknown>;
        return 1;
      } finally {
        log.push("finally");
      }
    });
    expect(() => probe().poll(fut)).toThrow(/not a future/);
    expect(log, "the body, suspended at its bad yield, was returned from").toEqual(["finally"]);
    expect(() => probe().poll(fut), "a poll after the error").toThrow("async function polled after completion");
  });

  it("asyncFn passes its arguments, and each call is a new independent future", () => {
    const add = asyncFn(function* (a: number, b: number) {
      const x = yield* countdown(a);
      return x + b;
    });
    const f1 = add(1, 100);
    const f2 = add(0, 10);
    const p = probe();
    expect(p.poll(f1), "p.poll(f1)").toBe(Pending);
    expect(p.poll(f2), "p.poll(f2)").toBe(11);
    expect(p.poll(f1), "p.poll(f1)").toBe(102);
  });

  it("async functions compose: awaiting one async function from another, wakes reach the caller's waker", () => {
    const inner = asyncFn(function* (n: number) {
      return (yield* countdown(n)) * 2;
    });
    const outer = asyncBlock(function* () {
      const a = yield* inner(2);
      const b = yield* inner(0);
      return a + b;
    });
    const p = probe();
    const outs = [p.poll(outer), p.poll(outer), p.poll(outer)];
    expect(outs).toEqual([Pending, Pending, 8]);
    expect(p.stats.wakes, "the inner countdown woke the outer task twice").toBe(2);
  });
});

describe("Task 5: Dropping a suspended future", () => {
  it("Example disposes the future it awaits, once, and moves to Done", () => {
    const first = after(5, 1);
    const fut = example(
      () => first,
      (x) => ready(x),
    );
    probe().poll(fut);
    fut[Symbol.dispose]();
    fut[Symbol.dispose]();
    expect(first.disposed, "the awaited future is disposed exactly once").toBe(1);
    expect(fut.state, "fut.state").toEqual({ tag: "Done" });
  });

  it("Example disposed in Awaiting2 disposes the second future, not the first (already dropped)", () => {
    const first = after(0, 1);
    const second = after(5, 1);
    const fut = example(
      () => first,
      () => second,
    );
    probe().poll(fut);
    fut[Symbol.dispose]();
    expect([first.disposed, second.disposed], "[first, second] disposals").toEqual([0, 1]);
  });

  it("Example disposed before its first poll calls nothing and is Done", () => {
    let calls = 0;
    const fut = example(
      () => (calls++, ready(1)),
      (x) => ready(x),
    );
    fut[Symbol.dispose]();
    expect(calls).toBe(0);
    expect(fut.state, "fut.state").toEqual({ tag: "Done" });
    expect(() => probe().poll(fut)).toThrow("`example()` polled after completion");
  });

  it("map and andThen dispose the live inner future once; after completion they dispose nothing", () => {
    const inner = after(3, 1);
    const m = map(inner, (v) => v);
    probe().poll(m);
    m[Symbol.dispose]();
    m[Symbol.dispose]();
    expect(inner.disposed, "map's pending inner future").toBe(1);

    const first = after(0, 1);
    const second = after(3, 2);
    const a = andThen(first, () => second);
    probe().poll(a);
    a[Symbol.dispose]();
    expect([first.disposed, second.disposed], "andThen in its second stage: [first, second]").toEqual([0, 1]);

    const done = after(0, 1);
    const m2 = map(done, (v) => v);
    probe().poll(m2);
    m2[Symbol.dispose]();
    expect(done.disposed, "a completed map holds nothing").toBe(0);
  });

  it("dropping works over futures that have no [Symbol.dispose] (it is optional), and a finished andThen holds nothing", () => {
    /** FutureBase gives `[Symbol.iterator]` (for `yield*`) and no `[Symbol.dispose]`. */
    class Bare extends FutureBase<number> {
      poll(): Poll<number> {
        return Pending;
      }
    }
    const bare = () => new Bare();
    const drop = (f: Future<unknown>) => {
      probe().poll(f);
      f[Symbol.dispose]!();
    };
    expect(() => drop(map(bare(), (v) => v)), "map over a bare future").not.toThrow();
    expect(() => drop(andThen(bare(), () => ready(1))), "andThen in its first stage").not.toThrow();
    expect(() => drop(andThen(ready(1), () => bare())), "andThen in its second stage").not.toThrow();
    expect(() => drop(joinAll([bare(), ready(2), bare()])), "joinAll with bare children").not.toThrow();
    expect(() => drop(example(() => bare(), () => ready(1))), "Example awaiting a bare future").not.toThrow();
    expect(
      () =>
        drop(
          asyncBlock(function* () {
            return yield* bare();
          }),
        ),
      "an async block awaiting a bare future",
    ).not.toThrow();
    const finished = andThen(ready(1), (v) => ready(v + 1));
    expect(probe().poll(finished)).toBe(2);
    expect(() => finished[Symbol.dispose](), "a completed andThen disposes nothing").not.toThrow();
  });

  it("joinAll disposes only the children that have not finished, once each", () => {
    const kids = [after(0, 1), after(5, 2), after(5, 3)];
    const j = joinAll(kids);
    probe().poll(j);
    j[Symbol.dispose]();
    j[Symbol.dispose]();
    expect(kids.map((k) => k.disposed)).toEqual([0, 1, 1]);
  });

  it("GenFuture disposes the awaited future, then runs the body's finally blocks and using declarations", () => {
    const log: string[] = [];
    const awaited = after(9, 0);
    const fut = asyncBlock(function* () {
      using _res = { [Symbol.dispose]: () => log.push("using released") };
      try {
        yield* awaited;
        log.push("not reached");
      } finally {
        log.push("finally");
      }
      return 1;
    });
    probe().poll(fut);
    fut[Symbol.dispose]();
    expect(awaited.disposed, "the awaited future").toBe(1);
    expect(log).toEqual(["finally", "using released"]);
    fut[Symbol.dispose]();
    expect(awaited.disposed, "a second dispose does nothing").toBe(1);
    expect(() => probe().poll(fut)).toThrow("async function polled after completion");
  });

  it("GenFuture disposed before its first poll runs nothing of the body", () => {
    const log: string[] = [];
    const fut = asyncBlock(function* () {
      try {
        log.push("body");
        yield* ready(1);
      } finally {
        log.push("finally");
      }
    });
    fut[Symbol.dispose]();
    expect(log).toEqual([]);
  });

  it("GenFuture lets go of an awaited future once it completed: dispose reaches only the current one", () => {
    const first = after(1, 1);
    const second = after(5, 2);
    const fut = asyncBlock(function* () {
      const a = yield* first;
      const b = yield* second;
      return a + b;
    });
    const p = probe();
    p.poll(fut);
    p.poll(fut);
    fut[Symbol.dispose]();
    expect([first.disposed, second.disposed], "[first (completed), second (awaited)] disposals").toEqual([0, 1]);
  });

  it("a completed GenFuture disposes nothing", () => {
    const awaited = after(0, 1);
    const log: string[] = [];
    const fut = asyncBlock(function* () {
      try {
        return yield* awaited;
      } finally {
        log.push("finally");
      }
    });
    expect(probe().poll(fut)).toBe(1);
    fut[Symbol.dispose]();
    expect(awaited.disposed, "disposals of the future awaited earlier (it had completed)").toBe(0);
    expect(log, "finally ran once, at completion").toEqual(["finally"]);
  });
});
