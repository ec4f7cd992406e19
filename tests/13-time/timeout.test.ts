/**
 * Hidden suite of chapter 13, task 5: `timeout` and `timeoutAt`: the inner future first, `Elapsed`, disposal of
 * the losing part, the budget rule, errors passing through.
 */
import { describe, expect, it } from "vitest";
import { Pending, pending, ready } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Handle } from "#kata/07-current-thread";
import { Clock, Elapsed, Sleep, TimeDriver, Timeout, now, sleep, timeout, timeoutAt } from "#kata/13-time";
import { budget } from "#kata/14-blocking";
import { Scripted } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { spendBudget } from "../_support/14-blocking.ts";
import { ScriptedDriver, paused } from "../_support/13-time.ts";

function nextWake(): number | undefined {
  return Handle.current().driver.time!.computeNextWake();
}

function describeError(e: unknown) {
  return { isElapsed: e instanceof Elapsed, message: (e as Error).message, kind: (e as Elapsed).kind, at: now() };
}

describe("Task 5: Timeout", () => {
  it("the inner future is polled first: a ready one wins even with no time at all", async () => {
    const out = await paused(function* () {
      const v = yield* timeout(0, ready(7));
      return { v, nextWake: nextWake() };
    });
    expect(out).toEqual({ v: 7, nextWake: undefined });
  });

  it("when the deadline passes first, Elapsed is thrown and the inner future is dropped", async () => {
    const inner = new Scripted<string>(() => Pending);
    const out = await paused(function* () {
      try {
        yield* timeout(100, inner);
        return "completed";
      } catch (e) {
        return describeError(e);
      }
    });
    expect(out).toEqual({ isElapsed: true, message: "deadline has elapsed", kind: "elapsed", at: 100 });
    expect(inner.disposed, "the abandoned inner future is disposed once").toBe(1);
  });

  it("an inner future that completes first gives its value, and the delay leaves the wheel", async () => {
    const out = await paused(function* () {
      const v = yield* timeout(
        100,
        asyncBlock(function* () {
          yield* sleep(30);
          return "ok";
        }),
      );
      return { v, at: now(), nextWake: nextWake() };
    });
    expect(out).toEqual({ v: "ok", at: 30, nextWake: undefined });
  });

  it("an inner future that spends the whole budget cannot keep the deadline from firing", async () => {
    let polls = 0;
    const hog = new Scripted<string>(() => {
      if (++polls > 5) return "starved the timer";
      spendBudget();
      return Pending;
    });
    const out = await paused(function* () {
      try {
        return yield* timeout(10, hog);
      } catch (e) {
        return describeError(e);
      }
    });
    expect(out, "the delay is polled without a budget when the inner future used it up").toEqual({
      isElapsed: true,
      message: "deadline has elapsed",
      kind: "elapsed",
      at: 10,
    });
  });

  it("disposing a pending timeout disposes the inner future and removes the delay, once", () => {
    const driver = new TimeDriver(new ScriptedDriver(), new Clock({ paused: true }));
    const inner = new Scripted<number>(() => Pending);
    const t = new Timeout(inner, new Sleep(driver.handle, 40));
    expect(t.getRef(), "t.getRef()").toBe(inner);
    expect(t.deadline(), "t.deadline()").toBe(40);
    const p = probe();
    expect(t.poll(p.cx), "t.poll(p.cx)").toBe(Pending);
    expect(driver.handle.computeNextWake(), "driver.handle.computeNextWake()").toBe(40);
    t[Symbol.dispose]();
    t[Symbol.dispose]();
    expect(inner.disposed, "inner.disposed").toBe(1);
    expect(driver.handle.computeNextWake(), "the delay left the wheel").toBeUndefined();
    expect(p.stats.refs, "no waker held").toBe(1);
    const bare = new Timeout(pending<number>(), new Sleep(driver.handle, 40));
    expect(bare.poll(p.cx), "bare.poll(p.cx)").toBe(Pending);
    expect(() => bare[Symbol.dispose](), "an inner future without a dispose is just let go").not.toThrow();
    expect(driver.handle.computeNextWake(), "and the delay leaves the wheel all the same").toBeUndefined();
  });

  it("with the budget spent before its poll, an elapsed timeout waits too; polled after it completed, it throws", () => {
    const clock = new Clock({ paused: true });
    const driver = new TimeDriver(new ScriptedDriver(), clock);
    const t = new Timeout(pending<number>(), new Sleep(driver.handle, 10));
    const p = probe();
    expect(t.poll(p.cx), "t.poll(p.cx)").toBe(Pending);
    clock.advance(10);
    driver.turn();
    const spent = budget(() => {
      spendBudget();
      return t.poll(p.cx);
    });
    expect(spent, "no budget before the inner poll: the delay spends none either, so it waits").toBe(Pending);
    expect(() => budget(() => t.poll(p.cx)), "with budget: Elapsed (an inner future without a dispose is just let go)").toThrow(Elapsed);
    expect(() => t.poll(p.cx), "a completed timeout polled again").toThrow("`Timeout` polled after completion");
    const ready5 = new Timeout(ready(5), new Sleep(driver.handle, 50));
    expect(ready5.poll(p.cx), "ready5.poll(p.cx)").toBe(5);
    expect(() => ready5.poll(p.cx), "a timeout that completed with its value, polled again").toThrow("`Timeout` polled after completion");
  });

  it("timeoutAt takes an instant", async () => {
    const out = await paused(function* () {
      yield* sleep(5);
      const t = timeoutAt(45, new Scripted<number>(() => Pending));
      const deadline = t.deadline();
      try {
        yield* t;
        return "completed";
      } catch (e) {
        return { deadline, ...describeError(e) };
      }
    });
    expect(out).toEqual({ deadline: 45, isElapsed: true, message: "deadline has elapsed", kind: "elapsed", at: 45 });
  });

  it("timeout refuses a negative or NaN duration, as sleep does", () => {
    expect(() => timeout(-1, ready(1))).toThrow(new RangeError("timeout must be a duration in ms >= 0, got -1"));
    expect(() => timeout(Number.NaN, ready(1))).toThrow(new RangeError("timeout must be a duration in ms >= 0, got NaN"));
  });

  it("an error thrown by the inner future passes through, and the delay leaves the wheel", async () => {
    const out = await paused(function* () {
      try {
        yield* timeout(
          100,
          asyncBlock(function* () {
            yield* sleep(10);
            throw new Error("boom");
          }),
        );
        return "completed";
      } catch (e) {
        return { message: (e as Error).message, isElapsed: e instanceof Elapsed, at: now(), nextWake: nextWake() };
      }
    });
    expect(out).toEqual({ message: "boom", isElapsed: false, at: 10, nextWake: undefined });
  });
});
