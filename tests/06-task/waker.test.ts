/**
 * Task 3: the task's waker and its reference counting, seen through the calls a recording scheduler receives.
 */
import { describe, expect, it } from "vitest";
import { Pending } from "#kata/01-poll";
import type { Context, Waker, WakerRef } from "#kata/03-waker";
import { refCount, taskContext, wakeByRef, wakeByVal } from "#kata/06-task";
import { RecordingScheduler, LeafFuture } from "../_support/06-task.ts";

describe("Task 3: Wakers and reference counts", () => {
  it("wakes coalesce: three wakes of an idle task schedule it once, and it is polled once", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { task } = sched.spawn(fut);
    sched.runAll();
    fut.waker!.wakeByRef();
    fut.waker!.wakeByRef();
    fut.waker!.wakeByRef();
    expect(sched.callsOf(task), "one schedule for the spawn, one for the three wakes").toEqual(["schedule", "schedule"]);
    sched.runAll();
    expect(fut.polls, "fut.polls").toBe(2);
  });

  it("a wake during the task's own poll does not schedule it; the harness requeues it once, after Pending", () => {
    const sched = new RecordingScheduler();
    const seen: string[][] = [];
    const fut = new LeafFuture<number>([Pending, Pending, 3], (cx, self) => {
      if (self.polls === 1) {
        cx.waker.wakeByRef();
        cx.waker.wakeByRef();
        seen.push([...sched.callsOf(task)]);
      }
    });
    const { join, task } = sched.spawn(fut);
    sched.runNext();
    expect(seen[0], "nothing scheduled while it runs").toEqual(["schedule"]);
    expect(sched.callsOf(task), "requeued once, with yieldNow").toEqual(["schedule", "yieldNow"]);
    expect(sched.queue.length, "sched.queue.length").toBe(1);
    sched.runAll();
    expect(fut.polls, "the requeued poll returns Pending and nothing wakes it again").toBe(2);
    expect(join.isFinished(), "join.isFinished()").toBe(false);
  });

  it("wakes after completion do nothing", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { task } = sched.spawn(fut);
    sched.runAll();
    const kept = fut.waker!.clone();
    fut.resolve(1);
    sched.runAll();
    expect(task.state.isComplete(), "task.state.isComplete()").toBe(true);
    const before = [...sched.calls];
    kept.wakeByRef();
    kept.wake();
    expect(sched.calls, "no schedule, no yieldNow after completion").toEqual(before);
  });

  it("cloning the task's waker adds a reference and dropping it removes one", () => {
    const sched = new RecordingScheduler();
    const { task } = sched.spawn(new LeafFuture<number>());
    const base = refCount(task.state.load());
    const cx = taskContext(task);
    const a = cx.waker.clone();
    const b = a.clone();
    expect(refCount(task.state.load())).toBe(base + 2);
    expect(a.willWake(b), "clones wake the same task").toBe(true);
    expect(cx.waker.willWake(a), "the borrowed waker and its clones").toBe(true);
    a.drop();
    b.drop();
    expect(refCount(task.state.load())).toBe(base);
  });

  it("the borrowed waker of a poll owns no reference, and every poll lends a waker of the same task", () => {
    const sched = new RecordingScheduler();
    const contexts: Context[] = [];
    const counts: number[] = [];
    const { task } = sched.spawn(
      new LeafFuture<number>([], (cx) => {
        contexts.push(cx);
        counts.push(refCount(task.state.load()));
      }),
    );
    sched.runAll();
    // LeafFuture keeps a clone of the waker: that, not the borrow, is the extra reference.
    expect(counts[0], "list + the poll's Notified + JoinHandle").toBe(3);
    (task.future as LeafFuture<number>).resolve(0);
    sched.runAll();
    expect(contexts.length, "two polls").toBe(2);
    expect(contexts[1]!.waker.willWake(contexts[0]!.waker), "both polls' wakers wake this task").toBe(true);
    expect(contexts[0]!.waker.data, "the waker's data is the task").toBe(task);
  });

  it("wake by value consumes the waker's reference; wake by reference keeps it", () => {
    const sched = new RecordingScheduler();
    const { task } = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    const base = refCount(task.state.load());
    const w: Waker = taskContext(task).waker.clone();
    expect(refCount(task.state.load())).toBe(base + 1);
    w.wakeByRef();
    expect(refCount(task.state.load()), "by ref: the waker keeps its reference, the Notified has one").toBe(base + 2);
    w.wake();
    expect(refCount(task.state.load()), "by value on a notified task: the waker's reference is gone").toBe(base + 1);
    expect(sched.callsOf(task), "sched.callsOf(task)").toEqual(["schedule", "schedule"]);
  });

  it("wakeByVal and wakeByRef on the raw task act on the state word's decision", () => {
    const sched = new RecordingScheduler();
    const { task } = sched.spawn(new LeafFuture<number>());
    sched.runAll();
    const base = refCount(task.state.load());
    task.state.refInc(); // a waker's reference, handed to wakeByVal
    wakeByVal(task);
    expect(sched.callsOf(task), "sched.callsOf(task)").toEqual(["schedule", "schedule"]);
    expect(refCount(task.state.load()), "Submit: +1 for the Notified, -1 for the consumed waker").toBe(base + 1);
    wakeByRef(task);
    expect(sched.callsOf(task), "already notified").toEqual(["schedule", "schedule"]);
  });

  it("the reference count reaches zero exactly when the last reference goes, whichever goes last", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    const extra = fut.waker!.clone();
    join[Symbol.dispose]();
    fut.resolve(9);
    sched.runAll();
    expect(task.state.isComplete(), "task.state.isComplete()").toBe(true);
    expect(task.deallocated, "a waker clone is still out").toBe(false);
    expect(refCount(task.state.load())).toBe(1);
    extra.drop();
    expect(refCount(task.state.load())).toBe(0);
    expect(task.deallocated, "freed by the last waker's drop").toBe(true);
  });

  it("a waker that is woken by value as the last reference frees the completed task", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    const extra = fut.waker!.clone();
    join[Symbol.dispose]();
    fut.resolve(1);
    sched.runAll();
    expect(task.deallocated, "task.deallocated").toBe(false);
    extra.wake();
    expect(task.deallocated, "Dealloc decided by transitionToNotifiedByVal").toBe(true);
  });
  it("the task's waker and its clones willWake each other; another task's waker or another vtable does not", () => {
    const sched = new RecordingScheduler();
    const a = sched.spawn(new LeafFuture<number>());
    const b = sched.spawn(new LeafFuture<number>());
    const cxA = taskContext(a.task);
    const cloneA = cxA.waker.clone();
    expect(cloneA.willWake(cxA.waker), "a clone of a task's waker wakes the same task").toBe(true);
    expect(cxA.waker.willWake(cloneA), "and the borrowed waker says so too").toBe(true);
    expect(cxA.waker.willWake(taskContext(b.task).waker), "another task").toBe(false);
    const foreign = { data: a.task, vtable: { ...cloneA.vtable } } as unknown as WakerRef;
    expect(cxA.waker.willWake(foreign), "the same data behind another vtable").toBe(false);
    cloneA.drop();
  });
});
