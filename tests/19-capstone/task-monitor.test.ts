/**
 * Task 1: task metrics (tokio-metrics' TaskMonitor). Polled by hand with a clock the test moves, then on a runtime
 * with a paused clock.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { spawn } from "#kata/07-current-thread";
import { sleep } from "#kata/13-time";
import { TaskMonitor } from "#kata/19-capstone";
import { probe } from "../_support/poll.ts";
import { ManualClock, Scripted, onRuntime } from "../_support/19-capstone.ts";

describe("Task 1: Task metrics", () => {
  it("counts what it instruments, the first poll and the delay before it", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now });
    const fut = monitor.instrument(new Scripted(clock, [{ then: "pending", keep: true }, { then: "ready" }]));
    monitor.instrument(new Scripted(clock, []));
    clock.advance(3);
    const p = probe();
    expect(p.poll(fut), "p.poll(fut)").toBe(Pending);
    const m = monitor.cumulative();
    expect(m.instrumentedCount, "two futures instrumented").toBe(2);
    expect(m.firstPollCount, "one of them polled").toBe(1);
    expect(m.totalFirstPollDelay, "instrumented at 0, first polled at 3").toBe(3);
    expect(m.totalPollCount, "m.totalPollCount").toBe(1);
    expect(m.droppedCount, "m.droppedCount").toBe(0);
    fut.poll(p.cx);
    expect(monitor.cumulative().firstPollCount, "only the first poll counts").toBe(1);
  });

  it("a poll that takes at least the slow-poll threshold (50 µs by default) is slow, a shorter one fast", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now });
    expect(monitor.slowPollThreshold(), "monitor.slowPollThreshold()").toBe(0.05);
    expect(monitor.longDelayThreshold(), "monitor.longDelayThreshold()").toBe(0.05);
    const fut = monitor.instrument(
      new Scripted(clock, [
        { busy: 0.05, keep: true, then: "pending" },
        { busy: 0.049, then: "pending" },
        { busy: 2, then: "ready" },
      ]),
    );
    const p = probe();
    for (let i = 0; i < 3; i++) fut.poll(p.cx);
    const m = monitor.cumulative();
    expect([m.totalSlowPollCount, m.totalFastPollCount], "[slow, fast]").toEqual([2, 1]);
    expect(m.totalSlowPollDuration).toBeCloseTo(2.05, 9);
    expect(m.totalFastPollDuration).toBeCloseTo(0.049, 9);
    expect(m.totalPollCount, "m.totalPollCount").toBe(3);
    expect(m.totalPollDuration).toBeCloseTo(2.099, 9);
    expect(m.droppedCount, "completed: counted dropped").toBe(1);
  });

  it("scheduled time runs from the first wake after a poll to the next poll; a later wake changes nothing", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now, longDelayThresholdMs: 5 });
    const inner = new Scripted(clock, [{ keep: true, then: "pending" }, { keep: true, then: "pending" }, { then: "ready" }]);
    const fut = monitor.instrument(inner);
    const p = probe();
    fut.poll(p.cx);
    clock.advance(10);
    inner.kept!.wakeByRef();
    clock.advance(2);
    inner.kept!.wakeByRef();
    clock.advance(3);
    fut.poll(p.cx); // 5 ms after the first wake: at the threshold, a long delay
    clock.advance(1);
    inner.kept!.wake();
    inner.kept = null;
    clock.advance(3);
    fut.poll(p.cx); // 3 ms: short
    const m = monitor.cumulative();
    expect(m.totalScheduledCount, "m.totalScheduledCount").toBe(2);
    expect(m.totalScheduledDuration, "m.totalScheduledDuration").toBe(8);
    expect([m.totalLongDelayCount, m.totalLongDelayDuration], "long delays (>= 5 ms)").toEqual([1, 5]);
    expect([m.totalShortDelayCount, m.totalShortDelayDuration], "short delays").toEqual([1, 3]);
  });

  it("idle time runs from the end of a poll to the wake, and counts only when some time passed", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now });
    const inner = new Scripted(clock, [
      { busy: 1, keep: true, then: "pending" },
      { busy: 1, keep: true, then: "pending" },
      { keep: true, then: "pending" },
      { then: "ready" },
    ]);
    const fut = monitor.instrument(inner);
    const p = probe();
    fut.poll(p.cx); // ends at 1
    inner.kept!.wakeByRef(); // woken at 1: no idle
    fut.poll(p.cx); // ends at 2
    clock.advance(5);
    inner.kept!.wakeByRef(); // woken at 7: idle 5
    fut.poll(p.cx);
    clock.advance(2);
    inner.kept!.wakeByRef(); // idle 2
    fut.poll(p.cx);
    const m = monitor.cumulative();
    expect(m.totalIdledCount, "idles with time in them").toBe(2);
    expect(m.totalIdleDuration, "m.totalIdleDuration").toBe(7);
    expect(m.maxIdleDuration, "m.maxIdleDuration").toBe(5);
    expect(m.totalScheduledCount, "every wake followed by a poll is scheduled, even at once").toBe(3);
  });

  it("wakes reach the task's own waker, by value and by reference, and the inner future sees one waker throughout", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now });
    const inner = new Scripted(clock, [{ keep: true, then: "pending" }, { then: "pending" }]);
    const fut = monitor.instrument(inner);
    const p1 = probe();
    const p2 = probe();
    fut.poll(p1.cx);
    const kept = inner.kept!;
    kept.wakeByRef();
    expect(p1.stats.wakes, "a wake by reference reaches the task").toBe(1);
    fut.poll(p2.cx); // the task's waker changed (Tokio's never does, but a wrapper must not assume it)
    expect(inner.wakers[0]!.willWake(inner.wakers[1]!), "the inner future is polled with the same waker every time").toBe(true);
    inner.kept = null;
    kept.wake();
    expect(p2.stats.wakes, "a wake by value reaches the waker of the latest poll").toBe(1);
    expect(p1.stats.wakes, "p1.stats.wakes").toBe(1);
  });

  it("a disposed future is counted dropped once and disposes the inner one; a completed one is not disposed", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now });
    const a = new Scripted(clock, [{ then: "pending" }]);
    const fa = monitor.instrument(a);
    fa.poll(probe().cx);
    fa[Symbol.dispose]();
    fa[Symbol.dispose]();
    expect(a.disposed, "the inner future is disposed once").toBe(1);
    const b = new Scripted(clock, [{ then: "ready" }]);
    const fb = monitor.instrument(b);
    fb.poll(probe().cx);
    fb[Symbol.dispose]();
    expect(b.disposed, "a completed inner future is not disposed").toBe(0);
    expect(monitor.cumulative().droppedCount, "monitor.cumulative().droppedCount").toBe(2);
  });

  it("intervals: each sample holds what happened since the previous one, with the longest idle that ended in it", () => {
    const clock = new ManualClock();
    const monitor = new TaskMonitor({ now: clock.now });
    const intervals = monitor.intervals();
    const inner = new Scripted(clock, [{ keep: true, then: "pending" }, { keep: true, then: "pending" }, { then: "ready" }]);
    const fut = monitor.instrument(inner);
    const p = probe();
    fut.poll(p.cx);
    clock.advance(8);
    inner.kept!.wakeByRef();
    fut.poll(p.cx);
    const first = intervals.next().value;
    expect([first.instrumentedCount, first.totalPollCount, first.totalIdledCount, first.maxIdleDuration]).toEqual([1, 2, 1, 8]);
    clock.advance(3);
    inner.kept!.wakeByRef();
    fut.poll(p.cx);
    const second = intervals.next().value;
    expect(second.instrumentedCount, "no new future in the second interval").toBe(0);
    expect([second.totalPollCount, second.totalIdledCount, second.totalIdleDuration]).toEqual([1, 1, 3]);
    expect(second.maxIdleDuration, "the longest idle of this interval, not of all time").toBe(3);
    expect(monitor.cumulative().maxIdleDuration, "monitor.cumulative().maxIdleDuration").toBe(8);
    const third = intervals.next().value;
    expect([third.totalPollCount, third.droppedCount, third.maxIdleDuration]).toEqual([0, 0, 0]);
  });

  it("on a runtime: a spawned task that sleeps twice, measured on the paused clock", async () => {
    const m = await onRuntime(function* () {
      const monitor = new TaskMonitor();
      yield* spawn(
        monitor.instrument(
          asyncBlock(function* () {
            yield* sleep(100);
            yield* sleep(250);
          }),
        ),
      );
      return monitor.cumulative();
    });
    expect(m.totalPollCount, "three polls: start, after each sleep").toBe(3);
    expect(m.firstPollCount, "m.firstPollCount").toBe(1);
    expect(m.totalIdledCount, "m.totalIdledCount").toBe(2);
    expect(m.totalIdleDuration, "idle while asleep, on the runtime's clock").toBe(350);
    expect(m.maxIdleDuration, "m.maxIdleDuration").toBe(250);
    expect(m.totalSlowPollCount, "polls take no time on a paused clock").toBe(0);
    expect(m.droppedCount, "m.droppedCount").toBe(1);
  });
});
