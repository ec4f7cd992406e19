/**
 * Hidden suite of chapter 13, task 6: `interval` and `intervalAt`: the immediate first tick, the scheduled
 * instants, Burst / Delay / Skip after a missed tick, the 5 ms threshold, the resets, cancel safety.
 */
import { describe, expect, it } from "vitest";
import type { Interval } from "#kata/13-time";
import {
  CONTEXT_MISSING_ERROR,
  MissedTickBehavior,
  advance,
  interval,
  intervalAt,
  nextTimeout,
  now,
  sleep,
} from "#kata/13-time";
import { paused, pollOnce } from "../_support/13-time.ts";

/** `n` ticks of `iv`, each as "scheduled@observed". */
function* ticks(iv: Interval, n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = yield* iv.tick();
    out.push(`${at}@${now()}`);
  }
  return out;
}

describe("Task 6: Interval", () => {
  it("an interval needs a runtime and a positive period", async () => {
    expect(() => interval(10)).toThrow(CONTEXT_MISSING_ERROR);
    const errors = await paused(function* () {
      return [0, -5, Number.NaN].map((p) => {
        try {
          interval(p);
          return "created";
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      });
    });
    expect(errors).toEqual(Array(3).fill("RangeError: `period` must be non-zero."));
  });

  it("the first tick is immediate; each tick returns the instant it was scheduled for", async () => {
    const out = await paused(function* () {
      yield* advance(3);
      const iv = interval(10);
      const seen = yield* ticks(iv, 5);
      return { seen, period: iv.period(), behavior: iv.missedTickBehavior() };
    });
    expect(out).toEqual({ seen: ["3@3", "13@13", "23@23", "33@33", "43@43"], period: 10, behavior: "Burst" });
  });

  it("Burst: missed ticks fire back to back until the interval has caught up", async () => {
    const out = await paused(function* () {
      const iv = interval(10);
      const first = yield* ticks(iv, 1);
      yield* advance(35);
      return [...first, ...(yield* ticks(iv, 5))];
    });
    expect(out).toEqual(["0@0", "10@35", "20@35", "30@35", "40@40", "50@50"]);
  });

  it("Delay: after a missed tick, the next one is a period after it was observed", async () => {
    const out = await paused(function* () {
      const iv = interval(10);
      iv.setMissedTickBehavior(MissedTickBehavior.Delay);
      const first = yield* ticks(iv, 1);
      yield* advance(35);
      return [...first, ...(yield* ticks(iv, 3))];
    });
    expect(out).toEqual(["0@0", "10@35", "45@45", "55@55"]);
  });

  it("Skip: after a missed tick, the next one is the next multiple of the period", async () => {
    const out = await paused(function* () {
      const iv = interval(10);
      iv.setMissedTickBehavior(MissedTickBehavior.Skip);
      const first = yield* ticks(iv, 1);
      yield* advance(37);
      return [...first, ...(yield* ticks(iv, 3))];
    });
    expect(out).toEqual(["0@0", "10@37", "40@40", "50@50"]);
  });

  it("a tick observed up to 5 ms late is not missed; 6 ms late is", async () => {
    const out = await paused(function* () {
      const iv = interval(10);
      iv.setMissedTickBehavior(MissedTickBehavior.Delay);
      const seen = yield* ticks(iv, 1);
      yield* advance(15); // the tick due at 10 is observed at 15: on time
      seen.push(...(yield* ticks(iv, 2)));
      yield* advance(16); // the tick due at 30 is observed at 36: missed
      seen.push(...(yield* ticks(iv, 2)));
      return seen;
    });
    expect(out).toEqual(["0@0", "10@15", "20@20", "30@36", "46@46"]);
  });

  it("reset, resetImmediately, resetAfter and resetAt reschedule the next tick", async () => {
    const out = await paused(function* () {
      const iv = interval(10);
      const seen = yield* ticks(iv, 1);
      yield* advance(3);
      iv.reset();
      seen.push(...(yield* ticks(iv, 1)));
      iv.resetImmediately();
      seen.push(...(yield* ticks(iv, 2)));
      iv.resetAfter(50);
      seen.push(...(yield* ticks(iv, 1)));
      iv.resetAt(100);
      seen.push(...(yield* ticks(iv, 2)));
      return seen;
    });
    expect(out).toEqual(["0@0", "13@13", "13@13", "23@23", "73@73", "100@100", "110@110"]);
  });

  it("intervalAt starts at the given instant", async () => {
    const out = await paused(function* () {
      yield* advance(5);
      return yield* ticks(intervalAt(50, 20), 3);
    });
    expect(out).toEqual(["50@50", "70@70", "90@90"]);
  });

  it("tick() is cancel-safe: a dropped tick future loses no tick", async () => {
    const out = await paused(function* () {
      const iv = interval(10);
      const seen = yield* ticks(iv, 1);
      const dropped = iv.tick();
      const readyAtOnce = yield* pollOnce(dropped);
      yield* sleep(12);
      seen.push(...(yield* ticks(iv, 2)));
      return { readyAtOnce, seen };
    });
    expect(out).toEqual({ readyAtOnce: false, seen: ["0@0", "10@12", "20@20"] });
  });

  it("nextTimeout schedules after a missed tick as Tokio computes it", () => {
    expect(nextTimeout(MissedTickBehavior.Burst, 10, 37, 10), "nextTimeout(MissedTickBehavior.Burst, 10, 37, 10)").toBe(20);
    expect(nextTimeout(MissedTickBehavior.Delay, 10, 37, 10), "nextTimeout(MissedTickBehavior.Delay, 10, 37, 10)").toBe(47);
    expect(nextTimeout(MissedTickBehavior.Skip, 10, 37, 10), "nextTimeout(MissedTickBehavior.Skip, 10, 37, 10)").toBe(40);
    expect(nextTimeout(MissedTickBehavior.Skip, 100, 1234, 7), "nextTimeout(MissedTickBehavior.Skip, 100, 1234, 7)").toBe(1234 + 7 - ((1234 - 100) % 7));
    expect(nextTimeout(MissedTickBehavior.Skip, 100, 1234, 7) % 7, "on the period's grid from 100").toBe(100 % 7);
  });
});
