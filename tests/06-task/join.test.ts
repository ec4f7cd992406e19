/**
 * Task 4: JoinHandle and AbortHandle.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { refCount, state } from "#kata/06-task";
import { budget, budgetRemaining, pollProceed } from "#kata/14-blocking";
import { tracked } from "../_support/01-poll.ts";
import { probe } from "../_support/poll.ts";
import { joinErrorOf, LeafFuture, RecordingScheduler } from "../_support/06-task.ts";

describe("Task 4: JoinHandle and AbortHandle", () => {
  it("a JoinHandle is a future: `yield*` on it in another task gives the output", () => {
    const sched = new RecordingScheduler();
    const inner = new LeafFuture<number>();
    const a = sched.spawn(inner);
    const b = sched.spawn(
      asyncBlock(function* () {
        return (yield* a.join) + 1;
      }),
    );
    sched.runAll();
    expect(b.join.isFinished(), "b waits for a").toBe(false);
    inner.resolve(41);
    sched.runAll();
    expect(sched.callsOf(b.task), "b is woken once, by a's completion").toEqual(["schedule", "schedule", "release"]);
    expect(probe().poll(b.join)).toBe(42);
  });

  it("a waiting JoinHandle is woken exactly once when the task completes, and its waker is dropped with it", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<string>();
    const { join } = sched.spawn(fut);
    sched.runAll();
    const p = probe();
    expect(p.poll(join), "p.poll(join)").toBe(Pending);
    expect(p.stats.refs, "the handle's waker is stored (one clone)").toBe(2);
    fut.resolve("x");
    sched.runAll();
    expect(p.stats.wakes, "woken by completion").toBe(1);
    expect(p.poll(join), "p.poll(join)").toBe("x");
    join[Symbol.dispose]();
    expect(p.stats.refs, "the stored clone was dropped; only the probe's own waker is left").toBe(1);
  });

  it("polling again with a waker that wakes the same task keeps the stored one; another waker replaces it", () => {
    const sched = new RecordingScheduler();
    const { join } = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    const first = probe();
    first.poll(join);
    first.poll(join);
    first.poll(join);
    expect(first.stats.refs, "one clone, however many polls").toBe(2);
    const second = probe();
    second.poll(join);
    expect(first.stats.refs, "the old waker was dropped").toBe(1);
    expect(second.stats.refs, "second.stats.refs").toBe(2);
  });

  it("re-polling with the same task's waker clones nothing and drops nothing (no clone-and-replace per poll)", () => {
    const sched = new RecordingScheduler();
    const { join } = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    const { cx, calls } = tracked();
    join.poll(cx);
    expect({ ...calls }, "the first poll stores one clone").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
    join.poll(cx);
    join.poll(cx);
    expect({ ...calls }, "later polls with a waker that willWake the stored one").toEqual({ clone: 1, wake: 0, wakeByRef: 0, drop: 0 });
  });

  it("a dropped handle: poll, isFinished and id throw, abort and a second drop do nothing", () => {
    const sched = new RecordingScheduler();
    const { join, task } = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    const abort = join.abortHandle();
    join[Symbol.dispose]();
    expect(() => probe().poll(join), "poll after the drop").toThrow();
    expect(() => join.isFinished(), "isFinished after the drop").toThrow();
    expect(() => join.id, "id after the drop").toThrow();
    expect(() => join.abort(), "abort after the drop does nothing").not.toThrow();
    expect(() => join[Symbol.dispose](), "a second drop does nothing").not.toThrow();
    expect(task.state.isComplete(), "dropping the JoinHandle never cancels").toBe(false);
    abort[Symbol.dispose]();
    expect(() => abort.isFinished(), "AbortHandle.isFinished after its drop").toThrow();
    expect(() => abort.id, "AbortHandle.id after its drop").toThrow();
    expect(() => abort.abort(), "AbortHandle.abort after its drop does nothing").not.toThrow();
    expect(() => abort[Symbol.dispose](), "a second AbortHandle drop does nothing").not.toThrow();
    expect(sched.queue.length, "no abort was scheduled").toBe(0);
  });

  it("abort during the task's poll: if that poll returns ready, the output wins", () => {
    const sched = new RecordingScheduler();
    let abort = () => {};
    const { join } = sched.spawn(new LeafFuture([7], () => abort()));
    abort = () => join.abort();
    sched.runAll();
    expect(probe().poll(join)).toBe(7);
  });

  it("abort during a poll that returns Pending cancels the task as soon as that poll ends", () => {
    const sched = new RecordingScheduler();
    let abort = () => {};
    const fut = new LeafFuture<number>([], () => abort());
    const { join, task } = sched.spawn(fut);
    abort = () => join.abort();
    sched.runNext();
    expect(join.isFinished(), "cancelled right after the poll").toBe(true);
    expect(fut.disposed, "fut.disposed").toBe(1);
    expect(sched.callsOf(task), "aborting a running task schedules nothing").toEqual(["schedule", "release"]);
    expect(joinErrorOf(join).kind, "joinErrorOf(join).kind").toBe("cancelled");
  });

  it("abort after completion does nothing: the output is still there", () => {
    const sched = new RecordingScheduler();
    const { join, task } = sched.spawn(new LeafFuture(["kept"]));
    sched.runAll();
    join.abort();
    expect(sched.queue.length, "sched.queue.length").toBe(0);
    expect(task.state.load() & state.CANCELLED, "no CANCELLED bit on a completed task").toBe(0);
    expect(probe().poll(join)).toBe("kept");
  });

  it("dropping the JoinHandle detaches the task: it runs to completion and is never cancelled", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    join[Symbol.dispose]();
    expect(task.state.load() & state.CANCELLED, "task.state.load() & state.CANCELLED").toBe(0);
    fut.resolve(5);
    sched.runAll();
    expect(fut.polls, "polled to completion").toBe(2);
    expect(task.state.isComplete(), "task.state.isComplete()").toBe(true);
    expect(task.error, "completed with its output, not a JoinError").toBeNull();
  });

  it("dropping a JoinHandle that waits drops its stored waker; the task runs on and completes without waking it", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    const p = probe();
    expect(p.poll(join), "p.poll(join)").toBe(Pending);
    expect(p.stats.refs, "the handle stored a clone").toBe(2);
    join[Symbol.dispose]();
    expect(p.stats.refs, "dropped with the handle").toBe(1);
    expect(task.state.load() & state.JOIN_WAKER, "JOIN_WAKER cleared").toBe(0);
    fut.resolve(5);
    sched.runAll();
    expect([task.state.isComplete(), p.stats.wakes], "completed, and nobody was woken").toEqual([true, 0]);
  });

  it("isFinished: false while the task lives; true once it has completed, panicked or been cancelled", () => {
    const sched = new RecordingScheduler();
    const ok = sched.spawn(new LeafFuture<number>());
    const bad = sched.spawn(
      new LeafFuture<number>([Pending], (_cx, self) => {
        if (self.polls === 2) throw new Error("x");
      }),
    );
    const gone = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    expect([ok.join.isFinished(), bad.join.isFinished(), gone.join.isFinished()]).toEqual([false, false, false]);
    (ok.task.future as LeafFuture<number>).resolve(1);
    (bad.task.future as LeafFuture<number>).resolve(0);
    gone.join.abort();
    sched.runAll();
    expect([ok.join.isFinished(), bad.join.isFinished(), gone.join.isFinished()]).toEqual([true, true, true]);
  });

  it("AbortHandle: aborts the task, reports isFinished and the id; dropping it never aborts", () => {
    const sched = new RecordingScheduler();
    const a = sched.spawn(new LeafFuture<number>());
    const b = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    const before = refCount(a.task.state.load());
    const ha = a.join.abortHandle();
    const hb = b.join.abortHandle();
    expect(refCount(a.task.state.load()), "an AbortHandle holds a reference").toBe(before + 1);
    expect(ha.id, "ha.id").toBe(a.join.id);
    expect(ha.isFinished(), "ha.isFinished()").toBe(false);
    hb[Symbol.dispose]();
    ha.abort();
    sched.runAll();
    expect(ha.isFinished(), "ha.isFinished()").toBe(true);
    expect(joinErrorOf(a.join).isCancelled()).toBe(true);
    expect(b.join.isFinished(), "dropping an AbortHandle does not abort").toBe(false);
    ha[Symbol.dispose]();
    expect(() => ha.isFinished(), "a dropped AbortHandle cannot be used").toThrow();
  });

  it("the JoinHandle spends one unit of budget when it returns ready and none when it returns Pending", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join } = sched.spawn(fut);
    sched.runAll();
    const p = probe();
    budget(() => {
      expect(p.poll(join), "p.poll(join)").toBe(Pending);
      expect(budgetRemaining(), "a pending poll costs nothing").toBe(128);
    });
    fut.resolve(3);
    sched.runAll();
    budget(() => {
      expect(p.poll(join), "p.poll(join)").toBe(3);
      expect(budgetRemaining(), "a ready poll costs one unit").toBe(127);
    });
  });

  it("with the budget spent, the JoinHandle of a finished task returns Pending and asks to be woken", () => {
    const sched = new RecordingScheduler();
    const { join } = sched.spawn(new LeafFuture([8]));
    sched.runAll();
    const p = probe();
    budget(() => {
      for (let i = 0; i < 128; i++) pollProceed(p.cx);
      expect(p.poll(join), "no budget left").toBe(Pending);
    });
    expect(p.stats.wakes, "outside a runtime the deferred wake happens at once").toBe(1);
    expect(p.poll(join), "the output was not taken by the refused poll").toBe(8);
  });
});
