/**
 * Task 2: the harness. Tasks are driven by a recording scheduler; their JoinHandles are polled by hand.
 */
import { describe, expect, it } from "vitest";
import { Pending, type Poll } from "#kata/01-poll";
import { Context, RawWaker, Waker, type RawWakerVTable } from "#kata/03-waker";
import { JoinError, refCount, state } from "#kata/06-task";
import { probe } from "../_support/poll.ts";
import { describeWord, joinErrorOf, LeafFuture, RecordingScheduler } from "../_support/06-task.ts";

describe("Task 2: The harness: poll, complete, cancel", () => {
  it("a future that is ready at once completes in one poll; its output comes out of the JoinHandle", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture([42]);
    const { join, task } = sched.spawn(fut);
    expect(sched.runAll(), "sched.runAll()").toBe(1);
    expect(fut.polls, "fut.polls").toBe(1);
    expect(join.isFinished(), "join.isFinished()").toBe(true);
    expect(sched.callsOf(task), "spawned, then released once on completion").toEqual(["schedule", "release"]);
    expect(probe().poll(join)).toBe(42);
  });

  it("a pending future is polled again only after a wake, then completes", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<string>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    expect(fut.polls, "fut.polls").toBe(1);
    expect(join.isFinished(), "join.isFinished()").toBe(false);
    expect(sched.runAll(), "nothing scheduled without a wake").toBe(0);
    fut.resolve("done");
    expect(sched.callsOf(task), "sched.callsOf(task)").toEqual(["schedule", "schedule"]);
    sched.runAll();
    expect(fut.polls, "fut.polls").toBe(2);
    expect(probe().poll(join)).toBe("done");
  });

  it("a future that throws has panicked: the JoinHandle throws a JoinError of kind panic carrying the value", () => {
    const sched = new RecordingScheduler();
    const boom = new Error("boom");
    const { join, task } = sched.spawn(
      new LeafFuture<number>([], () => {
        throw boom;
      }),
    );
    sched.runAll();
    expect(join.isFinished(), "join.isFinished()").toBe(true);
    const err = joinErrorOf(join);
    expect(err).toBeInstanceOf(JoinError);
    expect(err.kind, "err.kind").toBe("panic");
    expect(err.isPanic(), "err.isPanic()").toBe(true);
    expect(err.isCancelled(), "err.isCancelled()").toBe(false);
    expect(err.intoPanic(), "the very value that was thrown").toBe(boom);
    expect(err.id, "err.id").toBe(task.id);
    expect(err.message, "err.message").toBe(`task ${task.id} panicked with message "boom"`);
  });

  it("a thrown value that is not an Error is carried as it is", () => {
    const sched = new RecordingScheduler();
    const payload = { code: 7 };
    const { join } = sched.spawn(
      new LeafFuture<number>([], () => {
        throw payload;
      }),
    );
    sched.runAll();
    const err = joinErrorOf(join);
    expect(err.isPanic(), "err.isPanic()").toBe(true);
    expect(err.intoPanic(), "err.intoPanic()").toBe(payload);
  });

  it("the output is taken once: polling the JoinHandle again throws", () => {
    const sched = new RecordingScheduler();
    const { join } = sched.spawn(new LeafFuture(["once"]));
    sched.runAll();
    const p = probe();
    expect(p.poll(join), "p.poll(join)").toBe("once");
    expect(() => p.poll(join)).toThrow("JoinHandle polled after completion");
  });

  it("an aborted idle task is cancelled at its next poll: the future is dropped once and never polled again", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    join.abort();
    expect(sched.callsOf(task), "abort submits the idle task").toEqual(["schedule", "schedule"]);
    expect(fut.disposed, "nothing happens before the poll boundary").toBe(0);
    sched.runAll();
    expect(fut.polls, "a cancelled task is not polled").toBe(1);
    expect(fut.disposed, "its future is dropped exactly once").toBe(1);
    const err = joinErrorOf(join);
    expect(err.kind, "err.kind").toBe("cancelled");
    expect(err.message, "err.message").toBe(`task ${task.id} was cancelled`);
    expect(() => err.intoPanic()).toThrow("`JoinError` reason is not a panic.");
  });

  it("a future that throws while it is dropped for cancellation turns the cancellation into a panic", () => {
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    fut[Symbol.dispose] = () => {
      throw new Error("drop failed");
    };
    const { join } = sched.spawn(fut);
    sched.runAll();
    join.abort();
    sched.runAll();
    const err = joinErrorOf(join);
    expect(err.kind, "err.kind").toBe("panic");
    expect((err.intoPanic() as Error).message).toBe("drop failed");
  });

  it("completion drops the poll's and the owned list's references; the JoinHandle's is the last", () => {
    const sched = new RecordingScheduler();
    const { join, task } = sched.spawn(new LeafFuture([1]));
    sched.runAll();
    expect(describeWord(task.state.load()), "after completion").toBe(
      describeWord(state.COMPLETE | state.JOIN_INTEREST | state.REF_ONE),
    );
    expect(task.deallocated, "task.deallocated").toBe(false);
    expect(probe().poll(join)).toBe(1);
    join[Symbol.dispose]();
    expect(refCount(task.state.load())).toBe(0);
    expect(task.deallocated, "the last reference went with the JoinHandle").toBe(true);
  });

  it("a task whose JoinHandle is gone drops its output when it completes, and is freed", () => {
    const sched = new RecordingScheduler();
    const output = { big: "payload" };
    const fut = new LeafFuture<typeof output>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    join[Symbol.dispose]();
    expect(task.deallocated, "detached, but still alive: owned and idle").toBe(false);
    fut.resolve(output);
    sched.runAll();
    expect(task.output, "nobody will read the output").toBeUndefined();
    expect(task.deallocated, "task.deallocated").toBe(true);
  });

  it("a JoinHandle waker that throws when woken does not stop the task completing and being released", () => {
    // Tokio wraps the join wake in catch_unwind: the task is done whatever the waiter's waker does.
    const vtable: RawWakerVTable = {
      clone: (d) => new RawWaker(d, vtable),
      wake: () => {},
      wakeByRef: () => {
        throw new Error("the waiter's waker failed");
      },
      drop: () => {},
    };
    const sched = new RecordingScheduler();
    const fut = new LeafFuture<number>();
    const { join, task } = sched.spawn(fut);
    sched.runAll();
    expect(join.poll(new Context(Waker.fromRaw(new RawWaker({}, vtable)))), "the handle waits").toBe(Pending);
    fut.resolve(5);
    expect(() => sched.runAll(), "completing the task").not.toThrow();
    expect(sched.calls, "the task was released from its scheduler").toContain(`release ${task.id}`);
    expect(probe().poll(join), "the output is still there to read").toBe(5);
  });

  it("the task id is visible to the future while it is polled", async () => {
    const { CONTEXT } = await import("#kit/context");
    const sched = new RecordingScheduler();
    let seen: number | null = null;
    const { task } = sched.spawn(
      new LeafFuture<number>([5], () => {
        seen = CONTEXT.currentTaskId;
      }),
    );
    sched.runAll();
    expect(seen).toBe(task.id);
    expect(CONTEXT.currentTaskId, "restored after the poll").toBeNull();
  });

  it("the task id is visible to the future while it is dropped: after its last poll, and by an abort", async () => {
    const { CONTEXT } = await import("#kit/context");
    const sched = new RecordingScheduler();
    const seen: Record<string, number | null> = {};
    const dropped = (name: string, script: Poll<number>[]) =>
      Object.assign(new LeafFuture<number>(script), {
        [Symbol.dispose]: () => {
          seen[name] = CONTEXT.currentTaskId;
        },
      });
    const ready = sched.spawn(dropped("ready", [1]));
    const aborted = sched.spawn(dropped("aborted", []));
    sched.runAll();
    aborted.join.abort();
    sched.runAll();
    expect(seen, "CONTEXT.currentTaskId inside each future's [Symbol.dispose]").toEqual({
      ready: ready.task.id,
      aborted: aborted.task.id,
    });
    expect(CONTEXT.currentTaskId, "restored after each drop").toBeNull();
  });
});
