/**
 * Hidden suite of chapter 13, task 2: the time driver over a scripted inner driver (waits bounded by the next
 * deadline, turns firing in deadline order, auto-advance and its did-wake guard, unparks, shutdown), and in a
 * runtime: one Node timer at a time on the real clock, and no auto-advance while blocking work runs.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { wakerFn, Context } from "#kata/03-waker";
import { Builder, spawn } from "#kata/07-current-thread";
import { spawnBlocking } from "#kata/14-blocking";
import { Clock, RUNTIME_SHUTTING_DOWN_ERROR, Sleep, TimeDriver, now, sleep } from "#kata/13-time";
import { probe } from "../_support/poll.ts";
import { ScriptedDriver, countNodeTimers, paused, runOn } from "../_support/13-time.ts";

function setup() {
  const inner = new ScriptedDriver();
  const clock = new Clock({ paused: true });
  const driver = new TimeDriver(inner, clock);
  return { inner, clock, driver, handle: driver.handle, log: inner.log };
}

/** A sleep until `deadline` on `handle`, polled once; its waker logs "wake <deadline>" into `log`. */
function armed(handle: TimeDriver["handle"], deadline: number, log: string[]) {
  const sleep = new Sleep(handle, deadline);
  const { waker, stats } = wakerFn(() => log.push(`wake ${deadline}`));
  const cx = new Context(waker);
  const first = sleep.poll(cx);
  return { sleep, cx, stats, first, ready: () => sleep.poll(cx) !== Pending };
}

describe("Task 2: The time driver", () => {
  it("with no timer, the inner driver waits without a limit (or with the caller's)", async () => {
    const { driver, clock, log } = setup();
    await driver.wait();
    expect(log).toEqual(["wait"]);
    clock.inhibitAutoAdvance();
    await driver.wait(25);
    expect(log).toEqual(["wait", "wait 25"]);
    expect(clock.now()).toBe(0);
  });

  it("the inner wait is bounded by the next deadline", async () => {
    const { driver, clock, handle, log } = setup();
    clock.inhibitAutoAdvance(); // so that the paused clock waits like a real one
    const t = armed(handle, 50, log);
    expect(t.first).toBe(Pending);
    log.length = 0;
    await driver.wait();
    await driver.wait(30);
    clock.advance(20);
    await driver.wait();
    clock.advance(30);
    await driver.wait();
    expect(log, "wait() with a timer at 50, at now 0, 0 (limit 30), 20, 50").toEqual(["wait 50", "wait 30", "wait 30", "wait 0"]);
    expect(t.sleep.isElapsed(), "wait fires nothing").toBe(false);
    expect(clock.now()).toBe(50);
  });

  it("turn turns the inner driver, then fires every timer due now, in deadline order", () => {
    const { driver, clock, handle, log } = setup();
    const ts = [30, 10, 20, 50].map((d) => armed(handle, d, log));
    log.length = 0;
    clock.advance(30);
    driver.turn();
    expect(log, "wakes happen inside turn, after the inner turn").toEqual(["turn", "wake 10", "wake 20", "wake 30"]);
    expect(ts.map((t) => t.ready())).toEqual([true, true, true, false]);
    expect(ts.map((t) => t.stats.refs), "each fired waker was consumed; the pending one is still held").toEqual([1, 1, 1, 2]);
    expect(handle.computeNextWake()).toBe(50);
  });

  it("a paused clock jumps to the wheel's next expiration after one zero-timeout round of the inner driver", async () => {
    const { driver, clock, handle, log } = setup();
    const t = armed(handle, 100, log);
    log.length = 0;
    await driver.wait();
    expect(log).toEqual(["wait 0"]);
    expect(clock.now(), "100 sits on level 1: its slot comes due at 64").toBe(64);
    driver.turn();
    expect(t.sleep.isElapsed(), "the cascade fires nothing").toBe(false);
    await driver.wait();
    expect(clock.now(), "then level 0 takes it to its deadline").toBe(100);
    expect(t.sleep.isElapsed(), "nothing fires before turn").toBe(false);
    driver.turn();
    expect(t.ready()).toBe(true);
    expect(log).toEqual(["wait 0", "turn", "wait 0", "turn", "wake 100"]);
    const u = armed(handle, 120, log);
    await driver.wait(5);
    expect(clock.now(), "a limit bounds the jump").toBe(105);
    expect(u.sleep.isElapsed()).toBe(false);
  });

  it("an unpark during the zero-timeout round stops the jump", async () => {
    const { driver, inner, clock, handle, log } = setup();
    armed(handle, 50, log);
    inner.onWait = () => driver.unpark();
    await driver.wait();
    expect(log, "registering unparked the inner driver; then the round, and the unpark").toEqual(["unpark", "wait 0", "unpark"]);
    expect(clock.now(), "something woke the runtime: no jump").toBe(0);
    inner.onWait = () => {};
    await driver.wait();
    expect(clock.now(), "the next idle round jumps").toBe(50);
  });

  it("registering a timer earlier than the planned wake-up unparks the inner driver", async () => {
    const { driver, clock, handle, log } = setup();
    clock.inhibitAutoAdvance();
    armed(handle, 100, log);
    expect(log, "the first timer").toEqual(["unpark"]);
    await driver.wait();
    log.length = 0;
    armed(handle, 200, log);
    expect(log, "later than the planned wake-up at 100").toEqual([]);
    armed(handle, 50, log);
    expect(log, "earlier than 100").toEqual(["unpark"]);
  });

  it("a timer already due when it registers fires at once", () => {
    const { handle, log } = setup();
    const t = armed(handle, 0, log);
    expect(t.first, "ready on the first poll").toBeUndefined();
    expect(t.sleep.isElapsed()).toBe(true);
    expect(handle.computeNextWake(), "nothing left in the wheel").toBeUndefined();
    expect(t.stats.refs, "no waker kept").toBe(1);
  });

  it("shutdown fires every timer, then shuts the inner driver down, once", () => {
    const { driver, handle, log } = setup();
    const ts = [100, 5_000_000].map((d) => armed(handle, d, log));
    log.length = 0;
    driver.shutdown();
    driver.shutdown();
    expect(log).toEqual(["wake 100", "wake 5000000", "shutdown"]);
    expect(handle.isShutdown()).toBe(true);
    expect(() => ts[0]!.sleep.poll(ts[0]!.cx), "a timer polled after shutdown").toThrow(RUNTIME_SHUTTING_DOWN_ERROR);
  });

  it("needsEventLoop and unpark reach the inner driver; unpark is remembered once", () => {
    const { driver, inner, handle, log } = setup();
    expect(driver.needsEventLoop).toBe(false);
    inner.needsEventLoop = true;
    expect(driver.needsEventLoop).toBe(true);
    driver.unpark();
    expect(log).toEqual(["unpark"]);
    expect(handle.didWake()).toBe(true);
    expect(handle.didWake(), "reading clears it").toBe(false);
  });

  it("a runtime on the real clock arms one Node timer at a time, however many sleeps", async () => {
    const started = performance.now();
    const { value, maxArmed, armedInAll } = await countNodeTimers(() =>
      runOn(Builder.newCurrentThread().enableTime(), function* () {
        const order: number[] = [];
        const tasks = [24, 5, 17, 9, 30, 12, 21, 7, 27, 14].map((ms) =>
          spawn(
            asyncBlock(function* () {
              yield* sleep(ms);
              order.push(ms);
              return now();
            }),
          ),
        );
        const woke: number[] = [];
        for (const t of tasks) woke.push(yield* t);
        return { order, woke };
      }),
    );
    const elapsed = performance.now() - started;
    expect(value.order, "deadline order").toEqual([5, 7, 9, 12, 14, 17, 21, 24, 27, 30]);
    for (const [i, ms] of [24, 5, 17, 9, 30, 12, 21, 7, 27, 14].entries()) {
      expect(value.woke[i], `the sleep of ${ms} ms woke no earlier than its deadline`).toBeGreaterThanOrEqual(ms);
    }
    expect(maxArmed, "Node timers armed at the same time").toBe(1);
    expect(armedInAll, "some Node timer was used").toBeGreaterThan(0);
    expect(elapsed, "real time passed (wide bounds)").toBeGreaterThanOrEqual(29);
    expect(elapsed).toBeLessThan(3000);
  });

  it("a paused runtime does not auto-advance while blocking work runs", async () => {
    const out = await paused(function* () {
      const sleeper = spawn(
        asyncBlock(function* () {
          yield* sleep(5);
          return now();
        }),
      );
      const job = yield* spawnBlocking(() => {
        const until = Date.now() + 30;
        while (Date.now() < until) {
          // busy
        }
        return "done";
      });
      const afterJob = now();
      const sleeperDone = sleeper.isFinished();
      return { job, afterJob, sleeperDone, sleptUntil: yield* sleeper };
    });
    expect(out).toEqual({ job: "done", afterJob: 0, sleeperDone: false, sleptUntil: 5 });
  });
});
