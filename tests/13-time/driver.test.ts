/**
 * Hidden suite of chapter 13, task 2: the time handle and driver over a scripted inner driver, with timers
 * registered directly (chapter 12's entries, as a sleep registers them): waits bounded by the next deadline, turns
 * firing in deadline order, auto-advance and its did-wake guard, unparks, shutdown.
 */
import { describe, expect, it } from "vitest";
import { wakerFn } from "#kata/03-waker";
import { TimerShared } from "#kata/12-timer-wheel";
import { Clock, TimeDriver } from "#kata/13-time";
import { ScriptedDriver } from "../_support/13-time.ts";

function setup() {
  const inner = new ScriptedDriver();
  const clock = new Clock({ paused: true });
  const driver = new TimeDriver(inner, clock);
  return { inner, clock, driver, handle: driver.handle, log: inner.log };
}

/**
 * A timer (chapter 12's entry) registered with `handle` for `deadline`, as a sleep does on its first poll, with a
 * waker that logs "wake <deadline>" into `log`. `first` is what the entry's first poll said (true: fired already).
 */
function armed(handle: TimeDriver["handle"], deadline: number, log: string[]) {
  const entry = new TimerShared();
  handle.reregister(handle.timeSource.deadlineToTick(deadline), entry);
  const { waker, stats } = wakerFn(() => log.push(`wake ${deadline}`));
  const first = entry.poll(waker);
  return { entry, stats, first, fired: () => entry.poll(waker) };
}

describe("Task 2: The time driver", () => {
  it("with no timer, the inner driver waits without a limit (or with the caller's, 0 included)", async () => {
    const { driver, clock, log } = setup();
    await driver.wait();
    expect(log).toEqual(["wait"]);
    clock.inhibitAutoAdvance();
    await driver.wait(25);
    expect(log).toEqual(["wait", "wait 25"]);
    await driver.wait(0);
    expect(log, "a limit of 0 is a limit: wait(0) with no timer is one zero-timeout round").toEqual(["wait", "wait 25", "wait 0"]);
    expect(clock.now(), "clock.now()").toBe(0);
  });

  it("the inner wait is bounded by the next deadline", async () => {
    const { driver, clock, handle, log } = setup();
    clock.inhibitAutoAdvance(); // so that the paused clock waits like a real one
    const t = armed(handle, 50, log);
    expect(t.first, "not fired yet").toBe(false);
    log.length = 0;
    await driver.wait();
    await driver.wait(30);
    clock.advance(20);
    await driver.wait();
    clock.advance(30);
    await driver.wait();
    expect(log, "wait() with a timer at 50, at now 0, 0 (limit 30), 20, 50").toEqual(["wait 50", "wait 30", "wait 30", "wait 0"]);
    expect(t.entry.mightBeRegistered(), "wait fires nothing").toBe(true);
    expect(clock.now(), "clock.now()").toBe(50);
  });

  it("turn turns the inner driver, then fires every timer due now, in deadline order", () => {
    const { driver, clock, handle, log } = setup();
    const ts = [30, 10, 20, 50].map((d) => armed(handle, d, log));
    log.length = 0;
    clock.advance(30);
    driver.turn();
    expect(log, "wakes happen inside turn, after the inner turn").toEqual(["turn", "wake 10", "wake 20", "wake 30"]);
    expect(ts.map((t) => t.fired())).toEqual([true, true, true, false]);
    expect(ts.map((t) => t.stats.refs), "each fired waker was consumed; the pending one is still held").toEqual([1, 1, 1, 2]);
    expect(handle.computeNextWake(), "handle.computeNextWake()").toBe(50);
  });

  it("a paused clock jumps to the wheel's next expiration after one zero-timeout round of the inner driver", async () => {
    const { driver, clock, handle, log } = setup();
    const t = armed(handle, 100, log);
    log.length = 0;
    await driver.wait();
    expect(log).toEqual(["wait 0"]);
    expect(clock.now(), "100 sits on level 1: its slot comes due at 64").toBe(64);
    driver.turn();
    expect(t.entry.mightBeRegistered(), "the cascade fires nothing").toBe(true);
    await driver.wait();
    expect(clock.now(), "then level 0 takes it to its deadline").toBe(100);
    expect(t.entry.mightBeRegistered(), "nothing fires before turn").toBe(true);
    driver.turn();
    expect(t.fired(), "t.fired()").toBe(true);
    expect(log).toEqual(["wait 0", "turn", "wait 0", "turn", "wake 100"]);
    const u = armed(handle, 120, log);
    await driver.wait(5);
    expect(clock.now(), "a limit bounds the jump").toBe(105);
    expect(u.entry.mightBeRegistered(), "u.entry.mightBeRegistered()").toBe(true);
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
    expect(handle.computeNextWake(), "no timer yet: no wake-up planned").toBeUndefined();
    armed(handle, 100, log);
    expect(log, "the first timer, after a plan with no wake-up").toEqual(["unpark"]);
    await driver.wait();
    log.length = 0;
    armed(handle, 200, log);
    expect(log, "later than the planned wake-up at 100").toEqual([]);
    armed(handle, 50, log);
    expect(log, "earlier than 100").toEqual(["unpark"]);
  });

  it("a timer already due when it registers fires at once", () => {
    const { driver, clock, handle, log } = setup();
    const t = armed(handle, 0, log);
    expect(t.first, "fired on registration").toBe(true);
    expect(handle.computeNextWake(), "nothing left in the wheel").toBeUndefined();
    expect(t.stats.refs, "no waker kept").toBe(1);
    clock.advance(10);
    driver.turn();
    const late = armed(handle, 4, log);
    expect(late.first, "a deadline the wheel has passed").toBe(true);
  });

  it("shutdown fires every timer, then shuts the inner driver down, once", () => {
    const { driver, handle, log } = setup();
    const ts = [100, 5_000_000].map((d) => armed(handle, d, log));
    log.length = 0;
    driver.shutdown();
    driver.shutdown();
    expect(log).toEqual(["wake 100", "wake 5000000", "shutdown"]);
    expect(handle.isShutdown(), "handle.isShutdown()").toBe(true);
    expect(ts.map((t) => t.fired())).toEqual([true, true]);
    expect(armed(handle, 50, log).first, "registering after shutdown fires at once").toBe(true);
    expect(handle.computeNextWake()).toBeUndefined();
  });

  it("needsEventLoop and unpark reach the inner driver; unpark is remembered once", () => {
    const { driver, inner, handle, log } = setup();
    expect(driver.needsEventLoop, "driver.needsEventLoop").toBe(false);
    inner.needsEventLoop = true;
    expect(driver.needsEventLoop, "driver.needsEventLoop").toBe(true);
    driver.unpark();
    expect(log).toEqual(["unpark"]);
    expect(handle.didWake(), "handle.didWake()").toBe(true);
    expect(handle.didWake(), "reading clears it").toBe(false);
  });
});
