/**
 * Task 1: the cooperative budget. Exact counts: a resource that is always ready, one that is never ready, and the
 * order of the deferred wake against the driver's turn.
 */
import { describe, expect, it } from "vitest";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import type { Context, WakerRef } from "#kata/03-waker";
import { spawn } from "#kata/07-current-thread";
import {
  budget,
  budgetRemaining,
  hasBudgetRemaining,
  INITIAL_BUDGET,
  pollBudgetAvailable,
  pollProceed,
  restore,
  stop,
  withUnconstrained,
} from "#kata/14-blocking";
import { CONTEXT } from "#kit/context";
import { probe } from "../_support/poll.ts";
import { recordingRuntime } from "../_support/07-current-thread.ts";

/** A resource that is always ready: every poll spends a unit and yields the next number. */
class AlwaysReady extends FutureBase<number> {
  spends = 0;
  constructor(readonly log?: string[]) {
    super();
  }
  poll(cx: Context): Poll<number> {
    if (pollProceed(cx) === Pending) return Pending;
    this.log?.push("ready");
    return ++this.spends;
  }
}

/** A resource that is never ready: it takes a unit, finds nothing and gives the unit back. */
class NeverReady extends FutureBase<number> {
  poll(cx: Context): Poll<number> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    restore(coop);
    return Pending;
  }
}

/** Runs `f` with a scheduler context that records deferred wakers and forced yields. */
function withRecordingScheduler<R>(f: (rec: { deferred: WakerRef[]; forced: number }) => R): R {
  const rec = { deferred: [] as WakerRef[], forced: 0 };
  const prev = CONTEXT.scheduler;
  CONTEXT.scheduler = {
    handle: null as never,
    defer: (w) => void rec.deferred.push(w),
    incBudgetForcedYieldCount: () => void rec.forced++,
  };
  try {
    return f(rec);
  } finally {
    CONTEXT.scheduler = prev;
  }
}

describe("Task 1: The budget", () => {
  it("outside budget() nothing is counted and nothing is refused", () => {
    expect(budgetRemaining(), "unconstrained").toBeUndefined();
    expect(hasBudgetRemaining(), "hasBudgetRemaining()").toBe(true);
    const p = probe();
    const r = new AlwaysReady();
    for (let i = 0; i < 1000; i++) expect(p.poll(r), "p.poll(r)").toBe(i + 1);
    expect(budgetRemaining()).toBeUndefined();
    expect(p.stats.wakes, "p.stats.wakes").toBe(0);
  });

  it("budget(f) installs 128 units for f and puts back what was there, even when f throws", () => {
    expect(INITIAL_BUDGET).toBe(128);
    const p = probe();
    budget(() => {
      expect(budgetRemaining(), "budgetRemaining()").toBe(128);
      pollProceed(p.cx);
      pollProceed(p.cx);
      expect(budgetRemaining(), "budgetRemaining()").toBe(126);
      budget(() => expect(budgetRemaining(), "a nested poll gets its own 128").toBe(128));
      expect(budgetRemaining(), "the outer budget is back").toBe(126);
      expect(() =>
        budget(() => {
          throw new Error("inner");
        }),
      ).toThrow("inner");
      expect(budgetRemaining(), "budgetRemaining()").toBe(126);
    });
    expect(budgetRemaining()).toBeUndefined();
  });

  it("a resource ready 1000 times in one poll yields after exactly 128 spends, and counts one forced yield", () => {
    withRecordingScheduler((rec) => {
      const p = probe();
      const r = new AlwaysReady();
      const results: Poll<number>[] = [];
      budget(() => {
        for (let i = 0; i < 1000; i++) {
          const out = p.poll(r);
          results.push(out);
          if (out === Pending) break;
        }
      });
      expect(r.spends, "ready 128 times").toBe(128);
      expect(results.length, "the 129th poll is refused").toBe(129);
      expect(results[128]).toBe(Pending);
      expect(rec.forced, "the spend that reached zero counts one forced yield").toBe(1);
      expect(rec.deferred.length, "the refused poll defers its waker").toBe(1);
      expect(rec.deferred[0]!.willWake(p.waker), "rec.deferred[0].willWake(p.waker)").toBe(true);
    });
  });

  it("a pending poll costs nothing: a resource that is never ready can be polled for ever", () => {
    withRecordingScheduler((rec) => {
      const p = probe();
      const r = new NeverReady();
      budget(() => {
        for (let i = 0; i < 10_000; i++) expect(p.poll(r), "p.poll(r)").toBe(Pending);
        expect(budgetRemaining(), "budgetRemaining()").toBe(128);
      });
      expect(rec.forced, "rec.forced").toBe(0);
      expect(rec.deferred, "rec.deferred").toEqual([]);
    });
  });

  it("restore gives back exactly the unit its token took", () => {
    const p = probe();
    budget(() => {
      const a = pollProceed(p.cx);
      const b = pollProceed(p.cx);
      expect(budgetRemaining(), "budgetRemaining()").toBe(126);
      if (b === Pending || a === Pending) throw new Error("unexpected Pending");
      restore(b);
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
    });
    const outside = pollProceed(p.cx);
    if (outside === Pending) throw new Error("unexpected Pending outside a budget");
    restore(outside);
    expect(budgetRemaining(), "restoring an unconstrained token changes nothing").toBeUndefined();
  });

  it("a task that reads a ready resource 1000 times is polled 8 times, forced to yield 7 times", async () => {
    const { rt } = recordingRuntime();
    using _rt = rt;
    const r = new AlwaysReady();
    let polls = 0;
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spawn(
          asyncBlock(function* () {
            for (let i = 0; i < 1000; i++) yield* r;
          }),
        );
      }),
    );
    polls = rt.metrics().worker(0).pollCount;
    expect(r.spends, "r.spends").toBe(1000);
    expect(polls, "1000 = 7 x 128 + 104").toBe(8);
    expect(rt.metrics().budgetForcedYieldCount()).toBe(7);
  });

  it("the forced yield's wake is deferred until after the driver's turn", async () => {
    const { rt, log } = recordingRuntime();
    using _rt = rt;
    const r = new AlwaysReady(log);
    await rt.blockOn(
      asyncBlock(function* () {
        yield* spawn(
          asyncBlock(function* () {
            for (let i = 0; i < 200; i++) yield* r;
          }),
        );
      }),
    );
    expect(log.indexOf("turn"), "128 reads, then the driver").toBe(128);
    expect(log.slice(129).filter((e) => e === "ready").length, "then the other 72").toBe(72);
  });

  it("pollBudgetAvailable spends nothing and refuses (deferring the waker) only at zero", () => {
    withRecordingScheduler((rec) => {
      const p = probe();
      budget(() => {
        expect(pollBudgetAvailable(p.cx)).not.toBe(Pending);
        expect(budgetRemaining(), "budgetRemaining()").toBe(128);
        for (let i = 0; i < 128; i++) pollProceed(p.cx);
        expect(hasBudgetRemaining(), "hasBudgetRemaining()").toBe(false);
        expect(pollBudgetAvailable(p.cx), "pollBudgetAvailable(p.cx)").toBe(Pending);
        expect(rec.deferred.length, "rec.deferred.length").toBe(1);
      });
    });
  });

  it("with no scheduler, a refused poll wakes its task at once instead of deferring", () => {
    const p = probe();
    budget(() => {
      for (let i = 0; i < 128; i++) pollProceed(p.cx);
      expect(pollProceed(p.cx), "pollProceed(p.cx)").toBe(Pending);
    });
    expect(p.stats.wakes, "p.stats.wakes").toBe(1);
  });

  it("stop() removes the budget for the rest of the poll and returns what was left", () => {
    const p = probe();
    budget(() => {
      pollProceed(p.cx);
      expect(stop(), "stop()").toBe(127);
      expect(budgetRemaining()).toBeUndefined();
      for (let i = 0; i < 500; i++) expect(pollProceed(p.cx)).not.toBe(Pending);
    });
    expect(stop(), "outside: nothing to stop").toBeUndefined();
  });

  it("withUnconstrained(f) runs f with no budget and then puts the budget back", () => {
    const p = probe();
    budget(() => {
      pollProceed(p.cx);
      withUnconstrained(() => {
        expect(budgetRemaining()).toBeUndefined();
        for (let i = 0; i < 300; i++) pollProceed(p.cx);
      });
      expect(budgetRemaining(), "budgetRemaining()").toBe(127);
    });
  });
});
