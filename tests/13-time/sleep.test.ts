/**
 * Hidden suite of chapter 13, task 3: `Sleep`: where it may be created, exact completion on the paused clock,
 * deadline order, lazy registration, rounding up, the budget, reset (lazy when later), dispose, shutdown, far
 * deadlines, and on the real clock: many sleeps, one Node timer at a time.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Builder, Handle, spawn } from "#kata/07-current-thread";
import { budget, budgetRemaining } from "#kata/14-blocking";
import { spendBudget } from "../_support/14-blocking.ts";
import {
  CONTEXT_MISSING_ERROR,
  Clock,
  FAR_FUTURE_MS,
  RUNTIME_SHUTTING_DOWN_ERROR,
  Sleep,
  TIMERS_DISABLED_ERROR,
  TimeDriver,
  now,
  sleep,
  sleepUntil,
} from "#kata/13-time";
import { probe } from "../_support/poll.ts";
import { rng, seeds, withSeed } from "../_support/seed.ts";
import { ScriptedDriver, countNodeTimers, paused, pollOnce, runOn } from "../_support/13-time.ts";

const SIXTY_DAYS = 60 * 86_400_000;
const THREE_YEARS = 3 * 365 * 86_400_000; // past the wheel's 2^36 ms span

function timeHandle() {
  return Handle.current().driver.time!;
}

describe("Task 3: Sleep", () => {
  it("sleep needs a runtime with time enabled", async () => {
    expect(() => sleep(10), "outside a runtime").toThrow(CONTEXT_MISSING_ERROR);
    expect(() => sleepUntil(10), "outside a runtime").toThrow(CONTEXT_MISSING_ERROR);
    const inside = await runOn(Builder.newCurrentThread(), function* () {
      const errors: string[] = [];
      for (const f of [() => sleep(10), () => sleepUntil(10)]) {
        try {
          f();
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      return errors;
    });
    expect(inside, "in a runtime built without enableTime()").toEqual([TIMERS_DISABLED_ERROR, TIMERS_DISABLED_ERROR]);
    await paused(function* () {
      expect(() => sleep(-1)).toThrow(new RangeError("sleep must be a duration in ms >= 0, got -1"));
      expect(() => sleep(Number.NaN)).toThrow(RangeError);
      expect(() => sleepUntil(Number.NaN)).toThrow(RangeError);
    });
  });

  it("a sleep completes exactly at its deadline on the paused clock", async () => {
    const out = await paused(function* () {
      const start = now();
      yield* sleep(250);
      const afterSleep = now();
      yield* sleepUntil(400);
      return { start, afterSleep, afterSleepUntil: now() };
    });
    expect(out).toEqual({ start: 0, afterSleep: 250, afterSleepUntil: 400 });
  });

  it("sleeps complete in deadline order, each at its own deadline", async () => {
    for (const seed of seeds(5, 13)) {
      await withSeed(seed, async () => {
        const next = rng(seed);
        const durations = Array.from({ length: 40 }, () => Math.floor(next() * 3000));
        const done = await paused(function* () {
          const finished: { ms: number; at: number }[] = [];
          const tasks = durations.map((ms) =>
            spawn(
              asyncBlock(function* () {
                yield* sleep(ms);
                finished.push({ ms, at: now() });
              }),
            ),
          );
          for (const t of tasks) yield* t;
          return finished;
        });
        expect(done.map((d) => d.ms), "completion order").toEqual([...durations].sort((a, b) => a - b));
        for (const d of done) expect(d.at, `the sleep of ${d.ms} ms`).toBe(d.ms);
      });
    }
  });

  it("a sleep registers with the wheel on its first poll, not when created", async () => {
    const out = await paused(function* () {
      const s = sleep(40);
      const beforePoll = timeHandle().computeNextWake();
      const ready = yield* pollOnce(s);
      const afterPoll = timeHandle().computeNextWake();
      yield* s;
      return { beforePoll, ready, afterPoll, at: now() };
    });
    expect(out).toEqual({ beforePoll: undefined, ready: false, afterPoll: 40, at: 40 });
  });

  it("deadlines round up to the next millisecond: a sleep never completes early", async () => {
    const out = await paused(function* () {
      const zero = sleep(0);
      const readyAtOnce = yield* pollOnce(zero);
      const afterZero = now();
      yield* sleep(0.5);
      const afterHalf = now();
      yield* sleep(1);
      return { readyAtOnce, afterZero, afterHalf, afterOne: now() };
    });
    expect(out).toEqual({ readyAtOnce: true, afterZero: 0, afterHalf: 1, afterOne: 2 });
  });

  it("a poll that completes spends one unit of budget; a pending one spends none", async () => {
    const out = await paused(function* () {
      const start = budgetRemaining()!;
      const pending = yield* pollOnce(sleep(10));
      const afterPending = budgetRemaining()!;
      const ready = yield* pollOnce(sleep(0));
      const afterReady = budgetRemaining()!;
      return { pending, spentPending: start - afterPending, ready, spentReady: afterPending - afterReady };
    });
    expect(out).toEqual({ pending: false, spentPending: 0, ready: true, spentReady: 1 });
  });

  it("with the budget spent, even an elapsed sleep yields", () => {
    const clock = new Clock({ paused: true });
    const driver = new TimeDriver(new ScriptedDriver(), clock);
    const s = new Sleep(driver.handle, 0);
    const p = probe();
    const out = budget(() => {
      spendBudget();
      return s.poll(p.cx);
    });
    expect(out, "no budget left").toBe(Pending);
    expect(p.stats.wakes, "the task is woken to try again (outside a runtime, at once)").toBe(1);
    expect(budget(() => s.poll(p.cx)), "with a fresh budget").toBeUndefined();
  });

  it("reset moves the deadline: later lazily, earlier at once, and a completed sleep runs again", async () => {
    const out = await paused(function* () {
      const s = sleep(100);
      yield* pollOnce(s);
      s.reset(300);
      const plannedAfterLaterReset = timeHandle().computeNextWake();
      yield* s;
      const first = now();
      s.reset(now() + 50);
      const pendingAgain = !s.isElapsed();
      yield* s;
      const second = now();
      s.reset(now() + 500);
      yield* pollOnce(s);
      s.reset(now() + 20);
      yield* s;
      return { plannedAfterLaterReset, first, pendingAgain, second, third: now(), deadline: s.deadline() };
    });
    expect(out).toEqual({
      plannedAfterLaterReset: 64, // still filed for 100 (level 1, slot due at 64): the wheel was not touched
      first: 300,
      pendingAgain: true,
      second: 350,
      third: 370,
      deadline: 370,
    });
  });

  it("dispose removes the timer from the wheel and drops its waker", () => {
    const clock = new Clock({ paused: true });
    const inner = new ScriptedDriver();
    const driver = new TimeDriver(inner, clock);
    const s = new Sleep(driver.handle, 40);
    const p = probe();
    expect(s.poll(p.cx), "s.poll(p.cx)").toBe(Pending);
    expect(p.stats.refs, "the sleep holds a clone of the waker").toBe(2);
    expect(driver.handle.computeNextWake(), "driver.handle.computeNextWake()").toBe(40);
    s[Symbol.dispose]();
    s[Symbol.dispose]();
    expect(driver.handle.computeNextWake(), "the wheel is empty").toBeUndefined();
    expect(p.stats.refs, "the clone was dropped").toBe(1);
    clock.advance(100);
    driver.turn();
    expect(p.stats.wakes, "nothing fires").toBe(0);
  });

  it("deadline() and isElapsed() report the sleep's state; an infinite sleep is 30 years long", async () => {
    const clock = new Clock({ paused: true });
    const driver = new TimeDriver(new ScriptedDriver(), clock);
    const s = new Sleep(driver.handle, 30);
    const p = probe();
    expect([s.deadline(), s.isElapsed()]).toEqual([30, false]);
    s.poll(p.cx);
    expect(s.isElapsed(), "registered, not fired").toBe(false);
    clock.advance(30);
    driver.turn();
    expect(s.isElapsed(), "s.isElapsed()").toBe(true);
    expect(() => new Sleep(driver.handle, Number.NaN)).toThrow(RangeError);
    const far = await paused(function* () {
      yield* sleep(7);
      return [sleep(Infinity).deadline(), sleepUntil(Infinity).deadline()];
    });
    expect(far).toEqual([7 + FAR_FUTURE_MS, 7 + FAR_FUTURE_MS]);
  });

  it("a runtime on the real clock arms one Node timer at a time, however many sleeps", async () => {
    const started = performance.now();
    const { value, maxArmed, armedInAll } = await countNodeTimers(() =>
      runOn(Builder.newCurrentThread().enableTime(), function* () {
        // each task registers its sleep when first polled: on a loaded machine the clock may move between two of
        // them, so the order to expect is the deadlines', not the durations'
        const fired: number[] = [];
        const tasks = [24, 5, 17, 9, 30, 12, 21, 7, 27, 14].map((ms) =>
          spawn(
            asyncBlock(function* () {
              const s = sleep(ms);
              const deadline = s.deadline();
              yield* s;
              fired.push(deadline);
              return { ms, deadline, woke: now() };
            }),
          ),
        );
        const woke: { ms: number; deadline: number; woke: number }[] = [];
        for (const t of tasks) woke.push(yield* t);
        return { fired, woke };
      }),
    );
    const elapsed = performance.now() - started;
    expect(value.fired, "deadline order").toEqual([...value.fired].sort((a, b) => a - b));
    for (const w of value.woke) {
      expect(w.deadline, `the sleep of ${w.ms} ms ends ${w.ms} ms or more after the runtime started`).toBeGreaterThanOrEqual(w.ms);
      expect(w.woke, `the sleep of ${w.ms} ms woke no earlier than its deadline`).toBeGreaterThanOrEqual(w.deadline);
    }
    expect(maxArmed, "Node timers armed at the same time").toBe(1);
    expect(armedInAll, "some Node timer was used").toBeGreaterThan(0);
    expect(elapsed, "real time passed (wide bounds)").toBeGreaterThanOrEqual(29);
    expect(elapsed).toBeLessThan(3000);
  });

  it("polling a sleep after its runtime's time driver shut down throws", () => {
    const driver = new TimeDriver(new ScriptedDriver(), new Clock({ paused: true }));
    const s = new Sleep(driver.handle, 100);
    const p = probe();
    expect(s.poll(p.cx), "s.poll(p.cx)").toBe(Pending);
    driver.shutdown();
    expect(p.stats.wakes, "shutdown fired the timer").toBe(1);
    expect(() => s.poll(p.cx)).toThrow(RUNTIME_SHUTTING_DOWN_ERROR);
    expect(() => new Sleep(driver.handle, 5).poll(p.cx), "a new one too").toThrow(RUNTIME_SHUTTING_DOWN_ERROR);
  });

  it("sleeps of 60 days and of 3 years complete exactly on time", async () => {
    const out = await paused(function* () {
      yield* sleep(SIXTY_DAYS);
      const first = now();
      yield* sleep(THREE_YEARS);
      return [first, now()];
    });
    expect(out).toEqual([SIXTY_DAYS, SIXTY_DAYS + THREE_YEARS]);
  });
});
