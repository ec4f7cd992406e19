/**
 * Hidden suite of chapter 13, task 1: the clock (paused and running, pause/resume/advance, auto-advance
 * inhibition), `now()` on the current runtime's clock, and the time source (deadlines round up, instants down).
 */
import { describe, expect, it } from "vitest";
import { MAX_SAFE_MILLIS_DURATION } from "#kata/12-timer-wheel";
import { Builder } from "#kata/07-current-thread";
import { ALREADY_FROZEN_ERROR, CONTEXT_MISSING_ERROR, Clock, NOT_FROZEN_ERROR, TimeSource, now } from "#kata/13-time";
import { busyWait } from "../_support/13-time.ts";

describe("Task 1: The clock and the time source", () => {
  it("a paused clock starts at 0, stands still, and moves only by advance", () => {
    const clock = new Clock({ paused: true });
    expect(clock.isPaused(), "clock.isPaused()").toBe(true);
    expect(clock.now(), "clock.now()").toBe(0);
    busyWait(3);
    expect(clock.now(), "real time passed, the paused clock did not move").toBe(0);
    clock.advance(10);
    clock.advance(0.5);
    clock.advance(0);
    expect(clock.now(), "clock.now()").toBe(10.5);
  });

  it("a running clock follows performance.now() from 0 at its creation", () => {
    const before = performance.now();
    const clock = new Clock({ paused: false });
    const first = clock.now();
    const sinceBefore = performance.now() - before;
    expect(clock.isPaused(), "clock.isPaused()").toBe(false);
    expect(first, "ms since the clock was created").toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(sinceBefore);
    busyWait(3);
    expect(clock.now() - first, "3 ms of real time").toBeGreaterThanOrEqual(3);
  });

  it("pause freezes the clock where it stands, resume carries on from there", () => {
    const clock = new Clock({ paused: false });
    busyWait(2);
    clock.pause();
    const frozen = clock.now();
    expect(frozen).toBeGreaterThanOrEqual(2);
    expect(clock.isPaused(), "clock.isPaused()").toBe(true);
    busyWait(3);
    expect(clock.now(), "clock.now()").toBe(frozen);
    clock.advance(100);
    expect(clock.now(), "clock.now()").toBe(frozen + 100);
    const beforeResume = performance.now();
    clock.resume();
    const resumed = clock.now();
    const sinceResume = performance.now() - beforeResume;
    expect(resumed, "no jump backwards").toBeGreaterThanOrEqual(frozen + 100);
    expect(resumed - (frozen + 100), "only the time since resume counts, not the 3 ms paused").toBeLessThanOrEqual(sinceResume);
    busyWait(2);
    expect(clock.now() - resumed, "clock.now() - resumed").toBeGreaterThanOrEqual(2);
  });

  it("misuse throws Tokio's messages", () => {
    const paused = new Clock({ paused: true });
    const running = new Clock({ paused: false });
    expect(() => paused.pause()).toThrow(ALREADY_FROZEN_ERROR);
    expect(() => running.resume()).toThrow(NOT_FROZEN_ERROR);
    expect(() => running.advance(1)).toThrow(NOT_FROZEN_ERROR);
    expect(() => paused.advance(-1)).toThrow(RangeError);
    expect(() => paused.advance(Number.NaN)).toThrow(RangeError);
    expect(() => paused.advance(Infinity)).toThrow(RangeError);
    expect(paused.now(), "a refused advance moves nothing").toBe(0);
  });

  it("auto-advance is allowed only while paused and not inhibited", () => {
    const clock = new Clock({ paused: true });
    expect(clock.canAutoAdvance(), "clock.canAutoAdvance()").toBe(true);
    clock.inhibitAutoAdvance();
    clock.inhibitAutoAdvance();
    expect(clock.canAutoAdvance(), "clock.canAutoAdvance()").toBe(false);
    clock.allowAutoAdvance();
    expect(clock.canAutoAdvance(), "one inhibition still outstanding").toBe(false);
    clock.allowAutoAdvance();
    expect(clock.canAutoAdvance(), "clock.canAutoAdvance()").toBe(true);
    expect(() => clock.allowAutoAdvance(), "more allows than inhibits").toThrow();
    expect(clock.canAutoAdvance(), "clock.canAutoAdvance()").toBe(true);
    clock.resume();
    expect(clock.canAutoAdvance(), "a running clock").toBe(false);
    expect(new Clock({ paused: false }).canAutoAdvance()).toBe(false);
  });

  it("now() reads the clock of the current runtime", () => {
    expect(() => now(), "outside a runtime").toThrow(CONTEXT_MISSING_ERROR);
    const a = Builder.newCurrentThread().build(); // every runtime has a clock, time driver or not
    const b = Builder.newCurrentThread().build();
    try {
      const clockA = a.handle().driver.clock;
      const clockB = b.handle().driver.clock;
      clockA.pause();
      clockB.pause();
      clockB.advance(1000);
      {
        using _ = a.enter();
        expect(now(), "now()").toBe(clockA.now());
      }
      {
        using _ = b.enter();
        expect(now(), "another runtime, another clock").toBe(clockB.now());
      }
      expect(clockB.now() - clockA.now()).toBeGreaterThanOrEqual(1000 - 50);
    } finally {
      a.shutdown();
      b.shutdown();
    }
  });

  it("the time source rounds deadlines up and instants down", () => {
    const clock = new Clock({ paused: true });
    const source = new TimeSource(clock);
    expect(source.startTime, "source.startTime").toBe(0);
    expect([0, 0.5, 1, 9.25, 10, 10.000_01].map((t) => source.deadlineToTick(t))).toEqual([0, 1, 1, 10, 10, 11]);
    expect([0, 0.5, 9.75, 10].map((t) => source.instantToTick(t))).toEqual([0, 0, 9, 10]);
    expect(source.now(clock), "source.now(clock)").toBe(0);
    clock.advance(12.5);
    expect(source.now(clock), "source.now(clock)").toBe(12);
    expect(source.deadlineToTick(99_792_000_000), "a whole tick past 2^33 stays put").toBe(99_792_000_000);
    expect(source.deadlineToTick(2 ** 40 + 0.5), "source.deadlineToTick(2 ** 40 + 0.5)").toBe(2 ** 40 + 1);
  });

  it("ticks count from the time source's creation and are clamped", () => {
    const clock = new Clock({ paused: true });
    clock.advance(100);
    const source = new TimeSource(clock);
    expect(source.startTime, "source.startTime").toBe(100);
    expect(source.deadlineToTick(150), "source.deadlineToTick(150)").toBe(50);
    expect(source.now(clock), "source.now(clock)").toBe(0);
    expect(source.instantToTick(50), "before the start").toBe(0);
    expect(source.deadlineToTick(1e300), "source.deadlineToTick(1e300)").toBe(MAX_SAFE_MILLIS_DURATION);
    expect(source.deadlineToTick(Infinity), "source.deadlineToTick(Infinity)").toBe(MAX_SAFE_MILLIS_DURATION);
  });
});
