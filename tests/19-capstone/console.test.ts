/**
 * Task 2: the console's view of a task (console-subscriber's stats) and its warnings (tokio-console's lints).
 */
import { describe, expect, it } from "vitest";
import { asyncBlock } from "#kata/02-state-machines";
import { yieldNow } from "#kata/14-blocking";
import { Console, TaskStats } from "#kata/19-capstone";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { ManualClock, Scripted, onRuntime } from "../_support/19-capstone.ts";

describe("Task 2: The console's view", () => {
  it("tracks polls, busy time and the task's state: idle, scheduled, running, completed", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    let during = "";
    const inner = new Scripted(clock, [
      { busy: 2, keep: true, then: "pending", during: () => (during = stats.state()) },
      { busy: 3, then: "ready" },
    ]);
    const fut = console.instrument(inner, "worker");
    const stats: TaskStats = console.tasks()[0]!;
    expect([stats.id, stats.name, stats.polls, stats.state()]).toEqual([1, "worker", 0, "idle"]);
    clock.advance(1);
    fut.poll(probe().cx);
    expect(during, "inside its poll, a task is running").toBe("running");
    expect([stats.polls, stats.firstPoll, stats.lastPollStarted, stats.lastPollEnded, stats.busyTime]).toEqual([1, 1, 1, 3, 2]);
    expect(stats.state(), "stats.state()").toBe("idle");
    inner.kept!.wake();
    expect(stats.state(), "woken, not yet polled").toBe("scheduled");
    fut.poll(probe().cx);
    expect(stats.state(), "stats.state()").toBe("completed");
    expect([stats.polls, stats.busyTime, stats.droppedAt]).toEqual([2, 5, 6]);
  });

  it("keeps one clone of the task's waker, replaced only for another task's; disposing an unfinished task ends it", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const inner = new Scripted(clock, [{ then: "pending" }, { then: "pending" }, { then: "pending" }]);
    const fut = console.instrument(inner);
    const stats: TaskStats = console.tasks()[0]!;
    const first = tracked();
    const second = probe();
    fut.poll(first.cx);
    fut.poll(first.cx);
    expect({ ...first.calls }, "polled twice by one task: one clone, kept").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    fut.poll(second.cx);
    expect([first.calls.drop, second.stats.refs], "polled by another task: its clone replaces the first, dropped").toEqual([1, 2]);
    clock.advance(4);
    fut[Symbol.dispose]!();
    expect([stats.state(), stats.droppedAt], "disposed while pending: the task is over").toEqual(["completed", 4]);
    expect([inner.disposed, second.stats.refs], "the inner future disposed, the kept waker dropped").toEqual([1, 1]);
    fut[Symbol.dispose]!();
    expect(inner.disposed, "a second dispose does nothing").toBe(1);

    const finished = new Scripted(clock, [{ then: "ready" }]);
    const done = console.instrument(finished);
    done.poll(second.cx);
    clock.advance(1);
    done[Symbol.dispose]!();
    expect([finished.disposed, console.tasks()[1]!.droppedAt], "disposing a finished task changes nothing").toEqual([0, 4]);
    const neverPolled = new Scripted(clock, []);
    console.instrument(neverPolled)[Symbol.dispose]!();
    expect([console.tasks()[2]!.state(), neverPolled.disposed], "disposed before its first poll").toEqual(["completed", 1]);
  });

  it("scheduled time runs from the later of the last wake and the end of the last poll; idle is the rest", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const inner = new Scripted(clock, [
      { busy: 1, keep: true, then: "pending" },
      { busy: 1, selfWake: true, then: "pending" }, // woken during its poll: measured from the poll's end
      { busy: 1, keep: true, then: "pending" },
      { then: "ready" },
    ]);
    const fut = console.instrument(inner);
    const stats = console.tasks()[0]!;
    const p = probe();
    fut.poll(p.cx); // 0..1
    clock.advance(4);
    inner.kept!.wakeByRef(); // woken at 5
    clock.advance(2);
    fut.poll(p.cx); // 7..8, scheduled 2; wakes itself at 8
    clock.advance(3);
    fut.poll(p.cx); // 11..12, scheduled 3 (from the poll's end at 8)
    expect(stats.scheduledTime, "stats.scheduledTime").toBe(5);
    expect(stats.busyTime, "stats.busyTime").toBe(3);
    expect(stats.total(), "12 ms since it was instrumented").toBe(12);
    expect(stats.idle(), "lifetime - busy - scheduled").toBe(4);
    clock.advance(2);
    inner.kept!.wakeByRef();
    clock.advance(5);
    expect(stats.scheduled(), "a pending wake counts up to now").toBe(10);
  });

  it("counts the waker's clones, drops and wakes: a wake by value is a wake and a drop", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const inner = new Scripted(clock, [{ keep: true, then: "pending" }, { keep: true, then: "pending" }, { dropKept: true, then: "pending" }]);
    const fut = console.instrument(inner);
    const stats = console.tasks()[0]!;
    const p = probe();
    fut.poll(p.cx);
    expect([stats.wakerClones, stats.wakerDrops, stats.wakerCount()]).toEqual([1, 0, 1]);
    const extra = inner.kept!.clone();
    expect(stats.wakerCount(), "stats.wakerCount()").toBe(2);
    extra.wake();
    expect([stats.wakes, stats.wakerDrops, stats.wakerCount()], "[wakes, drops, live]").toEqual([1, 1, 1]);
    expect(p.stats.wakes, "the wake reached the task's waker").toBe(1);
    fut.poll(p.cx); // keeps a new clone, drops the old one
    expect([stats.wakerClones, stats.wakerDrops]).toEqual([3, 2]);
    inner.kept!.wakeByRef();
    expect([stats.wakes, stats.wakerDrops], "by reference: no drop").toEqual([2, 2]);
    fut.poll(p.cx);
    expect(stats.wakerCount(), "all dropped").toBe(0);
  });

  it("a wake during the task's own poll is a self-wake; the percentage is truncated to a whole number", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const inner = new Scripted(clock, [
      { selfWake: true, keep: true, then: "pending" },
      { selfWake: true, then: "pending" },
      { then: "pending" },
    ]);
    const fut = console.instrument(inner);
    const stats = console.tasks()[0]!;
    const p = probe();
    fut.poll(p.cx);
    fut.poll(p.cx);
    inner.kept!.wakeByRef(); // from outside: not a self-wake
    expect([stats.wakes, stats.selfWakes]).toEqual([3, 2]);
    expect(stats.selfWakePercent(), "2 of 3 = 66.7%").toBe(66);
    // tokio-console divides first, in floating point, then scales and truncates: 29 of 50 is 57.99999999999999%.
    const counted = new TaskStats(1, undefined, () => 0, { next: (() => { let n = 0; return () => ++n; })() });
    for (let i = 0; i < 50; i++) counted.wake(0, i < 29);
    expect(counted.selfWakePercent(), "29 of 50, as tokio-console computes it: (29 / 50) * 100, truncated").toBe(57);
  });

  it("warns about a task that woke itself more than 50% of the time, not at exactly 50%", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const half = new Scripted(clock, [{ selfWake: true, keep: true, then: "pending" }, { then: "pending" }]);
    const busy = new Scripted(clock, [{ selfWake: true, then: "pending" }, { selfWake: true, then: "pending" }, { keep: true, then: "pending" }]);
    const fHalf = console.instrument(half, "half");
    const fBusy = console.instrument(busy, "busy");
    const p = probe();
    fHalf.poll(p.cx);
    half.kept!.wakeByRef();
    for (let i = 0; i < 3; i++) fBusy.poll(p.cx);
    busy.kept!.wakeByRef();
    const warnings = console.warnings();
    expect(warnings.map((w) => [w.task.name, w.lint, w.message])).toEqual([
      ["busy", "self-wakes", "This task has woken itself for more than 50% of its total wakeups (66%)"],
    ]);
  });

  it("warns about a lost waker: pending, not running, not woken, and every waker clone dropped", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const lost = new Scripted(clock, [{ then: "pending" }]); // returns Pending and keeps no waker
    const kept = new Scripted(clock, [{ keep: true, then: "pending" }]);
    const dropped = new Scripted(clock, [{ keep: true, then: "pending" }]);
    const fresh = new Scripted(clock, []);
    const p = probe();
    console.instrument(lost, "lost").poll(p.cx);
    console.instrument(kept, "kept").poll(p.cx);
    console.instrument(dropped, "dropped").poll(p.cx);
    console.instrument(fresh, "never polled");
    dropped.kept!.drop();
    const message = "This task has lost its waker, and will never be woken again.";
    expect(console.warnings().map((w) => [w.task.name, w.lint, w.message])).toEqual([
      ["lost", "lost-waker", message],
      ["dropped", "lost-waker", message],
    ]);
    kept.kept!.wake(); // consumed, but the task is now awakened: not lost
    expect(console.warnings().map((w) => w.task.name)).toEqual(["lost", "dropped"]);
  });

  it("warns about a task that has been in its first poll for 1 s or more (seen from inside the poll)", () => {
    const clock = new ManualClock();
    const console = new Console({ now: clock.now });
    const seen: string[][] = [];
    const look = () => seen.push(console.warnings().map((w) => `${w.lint}: ${w.message}`));
    const hog = new Scripted(clock, [
      { busy: 999, during: look, then: "pending", keep: true },
      { busy: 1500, during: look, then: "pending" },
    ]);
    const hog2 = new Scripted(clock, [{ busy: 1500, during: look, keep: true, then: "pending" }]);
    const hog3 = new Scripted(clock, [{ busy: 1000, during: look, keep: true, then: "pending" }]);
    const p = probe();
    const f = console.instrument(hog, "hog");
    f.poll(p.cx);
    f.poll(p.cx);
    console.instrument(hog2, "hog2").poll(p.cx);
    console.instrument(hog3, "hog3").poll(p.cx);
    expect(seen).toEqual([
      [], // 999 ms: not yet
      [], // a second poll: it did yield once
      ["never-yielded: This task has never yielded (1500 ms)"],
      ["never-yielded: This task has never yielded (1000 ms)"], // exactly 1 s counts
    ]);
    expect(console.warnings(), "once the poll is over, the task is no longer running").toEqual([]);
  });

  it("on a runtime: yieldNow is not a self-wake (the wake is deferred past the poll); waking by reference is", async () => {
    const [yielder, spinner] = await onRuntime(function* () {
      const console = new Console();
      const a = console.spawn(
        asyncBlock(function* () {
          for (let i = 0; i < 4; i++) yield* yieldNow();
        }),
        "yielder",
      );
      const b = console.spawn(new Scripted(null, [{ selfWake: true, then: "pending" }, { selfWake: true, then: "pending" }, { then: "ready" }]), "spinner");
      yield* a;
      yield* b;
      return console.tasks();
    });
    expect([yielder!.wakes, yielder!.selfWakes, yielder!.polls, yielder!.state()]).toEqual([4, 0, 5, "completed"]);
    expect([spinner!.wakes, spinner!.selfWakes, spinner!.selfWakePercent()]).toEqual([2, 2, 100]);
  });
});
