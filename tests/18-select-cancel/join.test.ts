/**
 * Hidden suite of chapter 18, task 3: `join` and `tryJoin`: outputs in argument order, the rotating start, `biased`,
 * errors (all done then the first in argument order, or the first at once), disposal.
 */
import { describe, expect, it } from "vitest";
import { Pending, pending, type Future } from "#kata/01-poll";
import { asyncBlock, join as join02 } from "#kata/02-state-machines";
import { budget, consumeBudget } from "#kata/14-blocking";
import { now, sleep } from "#kata/13-time";
import { MaybeDone, join, tryJoin } from "#kata/18-select-cancel";
import { Scripted, Throwing, ThrowingNoDispose } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { paused } from "../_support/13-time.ts";
import { Tracked } from "../_support/18-select-cancel.ts";

/** A child that completes with `value` after `ms`, or throws `fail` then. */
function after<T>(ms: number, value: T, fail?: string): Future<T> {
  return asyncBlock(function* () {
    yield* sleep(ms);
    if (fail !== undefined) throw new Error(fail);
    return value;
  });
}

function recorder(n: number, log: number[], readyAt: number[] = []): Scripted<number>[] {
  return Array.from(
    { length: n },
    (_, i) =>
      new Scripted<number>((poll) => {
        log.push(i);
        return readyAt[i] !== undefined && poll >= readyAt[i]! ? i * 10 : Pending;
      }),
  );
}

describe("Task 3: Join and tryJoin", () => {
  it("MaybeDone keeps its future's outcome until it is taken, once; taking the wrong one, or too early, throws", () => {
    const p = probe();
    const ready = new Scripted<number>(() => 5);
    const ok = new MaybeDone(ready);
    expect(ok.poll(p.cx), "ok.poll(p.cx)").toBe(true);
    expect(ok.poll(p.cx), "done: true again, without polling").toBe(true);
    expect([ready.polls, ok.isErr()]).toEqual([1, false]);
    expect(() => ok.takeError(), "takeError after a success").toThrow("expected failed future");
    expect(ok.takeOutput(), "ok.takeOutput()").toBe(5);
    expect(() => ok.takeOutput(), "taken twice").toThrow("expected completed future");
    expect(() => ok.poll(p.cx), "polled once taken").toThrow("MaybeDone polled after value taken");

    const boom = new Error("boom");
    const failed = new MaybeDone(new ThrowingNoDispose<number>(boom));
    expect(failed.poll(p.cx), "a throw is an outcome too (the future has no [Symbol.dispose] to call)").toBe(true);
    expect(failed.isErr(), "failed.isErr()").toBe(true);
    expect(() => failed.takeOutput(), "takeOutput after a failure").toThrow("expected completed future");
    expect(failed.takeError(), "failed.takeError()").toBe(boom);
    expect(() => failed.takeError(), "taken twice").toThrow("expected failed future");

    const waiting = new MaybeDone(pending<number>());
    expect(waiting.poll(p.cx), "waiting.poll(p.cx)").toBe(false);
    expect(() => waiting.takeOutput(), "takeOutput while pending").toThrow("expected completed future");
    expect(() => waiting.takeError(), "takeError while pending").toThrow("expected failed future");
    expect(() => waiting[Symbol.dispose](), "disposing a future that has no [Symbol.dispose]").not.toThrow();
    const thrower = new Throwing<number>(boom);
    new MaybeDone(thrower).poll(p.cx);
    expect(thrower.disposed, "a future whose poll threw is disposed").toBe(1);
  });

  it("join completes with every output in argument order, when the last child completes", async () => {
    const out = await paused(function* () {
      const values = yield* join([after(30, "a"), after(10, 2), after(20, true)]);
      return { values, at: now() };
    });
    expect(out).toEqual({ values: ["a", 2, true], at: 30 });
  });

  it("each poll starts one child later than the last: 0, 1, 2, 0, ...", () => {
    const log: number[] = [];
    const j = join(recorder(3, log));
    const p = probe();
    const orders: number[][] = [];
    for (let i = 0; i < 5; i++) {
      log.length = 0;
      expect(p.poll(j), "p.poll(j)").toBe(Pending);
      orders.push([...log]);
    }
    expect(orders).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
      [1, 2, 0],
    ]);
  });

  it("biased always polls in argument order", () => {
    const log: number[] = [];
    const j = join(recorder(3, log), { biased: true });
    const p = probe();
    for (let i = 0; i < 3; i++) expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(log).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it("a finished child is not polled again, nor disposed; the rotation still counts every child", () => {
    const log: number[] = [];
    const children = recorder(3, log, [1, 4, 2]);
    const j = join(children);
    const p = probe();
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    expect(p.poll(j), "p.poll(j)").toEqual([0, 10, 20]);
    expect(log, "polls 1..4 start at 0, 1, 2, 0; done children are skipped").toEqual([0, 1, 2, 1, 2, 1, 1]);
    expect(children.map((c) => c.disposed)).toEqual([0, 0, 0]);
  });

  it("the rotation keeps a child that spends the whole budget from starving the others (chapter 02's join does not)", () => {
    /** Child 0 spends the whole budget on each of its first 10 polls; child 1 needs one unit. Poll at which 1 finished. */
    const run = (make: (a: Future<string>, b: Future<string>) => Future<unknown>): number => {
      let done = 0;
      let polls = 0;
      const hog = new Scripted<string>((n, cx) => {
        spendBudget();
        return n >= 10 ? "hog" : Pending;
      });
      const needy = asyncBlock(function* () {
        yield* consumeBudget();
        done = polls;
        return "needy";
      });
      const j = make(hog, needy);
      const p = probe();
      while (budget(() => p.poll(j)) === Pending) polls++;
      return done;
    };
    expect(run((a, b) => join([a, b])), "18's join: the second poll starts with the needy child").toBe(1);
    expect(run((a, b) => join02(a, b)), "02's join: the hog first every time, so the needy child waits until the hog is done").toBe(10);
  });

  it("join waits for every child even when some throw, then throws the first error in argument order", async () => {
    const c = new Tracked(after(30, "c"));
    const out = await paused(function* () {
      try {
        yield* join([after(20, "a", "a failed"), after(5, "b", "b failed"), c]);
        return "completed";
      } catch (e) {
        return `${(e as Error).message} at ${now()}`;
      }
    });
    expect(out).toBe("a failed at 30");
    expect(c.disposed, "the child that completed is not disposed").toBe(0);
  });

  it("tryJoin throws the first error at once and disposes the others", async () => {
    const a = new Tracked(after(20, "a"));
    const c = new Tracked(after(30, "c"));
    const out = await paused(function* () {
      try {
        yield* tryJoin([a, after(5, "b", "b failed"), c]);
        return "completed";
      } catch (e) {
        return `${(e as Error).message} at ${now()}`;
      }
    });
    expect(out).toBe("b failed at 5");
    expect([a.disposed, c.disposed]).toEqual([1, 1]);
  });

  it("tryJoin with no error is join: outputs in argument order", async () => {
    const out = await paused(function* () {
      const values = yield* tryJoin([after(20, 1), after(10, "two")]);
      return { values, at: now() };
    });
    expect(out).toEqual({ values: [1, "two"], at: 20 });
  });

  it("tryJoin's error is the first one met, in the rotated order", () => {
    const failsFromSecondPoll = (msg: string) =>
      new Scripted<number>((n) => {
        if (n >= 2) throw new Error(msg);
        return Pending;
      });
    const p = probe();
    const rotated = tryJoin([failsFromSecondPoll("zero"), failsFromSecondPoll("one")]);
    expect(p.poll(rotated), "p.poll(rotated)").toBe(Pending);
    expect(() => p.poll(rotated), "the second poll starts at child 1").toThrow("one");
    const biased = tryJoin([failsFromSecondPoll("zero"), failsFromSecondPoll("one")], { biased: true });
    expect(p.poll(biased), "p.poll(biased)").toBe(Pending);
    expect(() => p.poll(biased), "biased: child 0 first").toThrow("zero");
  });

  it("disposing a pending join disposes the unfinished children once; an empty join completes at once", () => {
    const log: number[] = [];
    const children = recorder(3, log, [1]);
    const j = tryJoin(children);
    const p = probe();
    expect(p.poll(j), "p.poll(j)").toBe(Pending);
    j[Symbol.dispose]();
    j[Symbol.dispose]();
    expect(children.map((c) => c.disposed)).toEqual([0, 1, 1]);
    const empty = join([]);
    expect(p.poll(empty), "p.poll(empty)").toEqual([]);
    expect(() => p.poll(empty), "a finished join polled again").toThrow(Error);
  });
});
