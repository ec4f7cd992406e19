/**
 * Task 5: OwnedTasks (the list runtime shutdown walks) and unowned tasks (the blocking pool's).
 */
import { describe, expect, it } from "vitest";
import { OwnedTasks, poll, unowned, type RawTask, type Schedule } from "#kata/06-task";
import { probe } from "../_support/poll.ts";
import { joinErrorOf, LeafFuture } from "../_support/06-task.ts";

/** A scheduler over an `OwnedTasks` list, as a runtime's is: `release` removes from the list. */
class ListScheduler implements Schedule {
  readonly owned = new OwnedTasks();
  readonly queue: RawTask[] = [];
  schedule(task: RawTask): void {
    this.queue.push(task);
  }
  yieldNow(task: RawTask): void {
    this.queue.push(task);
  }
  release(task: RawTask): boolean {
    return this.owned.remove(task);
  }
  spawn<T>(future: LeafFuture<T>) {
    const [join, notified] = this.owned.bind(future, this);
    if (notified !== null) this.schedule(notified);
    return join;
  }
  runAll(): void {
    for (let t = this.queue.shift(); t !== undefined; t = this.queue.shift()) poll(t);
  }
}

/** A scheduler for unowned tasks: never schedules, never owns. */
const NEVER: Schedule = {
  schedule: () => {
    throw new Error("an unowned task was scheduled");
  },
  yieldNow: () => {
    throw new Error("an unowned task was requeued");
  },
  release: () => false,
};

describe("Task 5: Owned and unowned tasks", () => {
  it("bind adds the task to the list and hands back its first Notified; completion removes it", () => {
    const s = new ListScheduler();
    const fut = new LeafFuture<number>();
    const join = s.spawn(fut);
    expect(s.owned.length, "s.owned.length").toBe(1);
    expect(s.owned.spawnedCount, "s.owned.spawnedCount").toBe(1);
    expect(s.queue.length, "the Notified to schedule").toBe(1);
    s.runAll();
    expect(s.owned.isEmpty(), "s.owned.isEmpty()").toBe(false);
    fut.resolve(1);
    s.runAll();
    expect(s.owned.isEmpty(), "released on completion").toBe(true);
    expect(s.owned.length, "s.owned.length").toBe(0);
    expect(s.owned.spawnedCount, "spawned is a running total").toBe(1);
    expect(probe().poll(join)).toBe(1);
  });

  it("bind assigns fresh ids when none is given, and keeps an id it is given", () => {
    const s = new ListScheduler();
    const a = s.owned.bind(new LeafFuture<number>(), s)[0];
    const b = s.owned.bind(new LeafFuture<number>(), s)[0];
    const c = s.owned.bind(new LeafFuture<number>(), s, 987654)[0];
    expect(b.id, "b.id").toBeGreaterThan(a.id);
    expect(c.id, "c.id").toBe(987654);
  });

  it("closeAndShutdownAll cancels every idle task: futures dropped once, JoinHandles report cancelled", () => {
    const s = new ListScheduler();
    const futs = [new LeafFuture<number>(), new LeafFuture<number>(), new LeafFuture<number>()];
    const joins = futs.map((f) => s.spawn(f));
    s.runAll();
    s.owned.closeAndShutdownAll();
    expect(s.owned.isClosed(), "s.owned.isClosed()").toBe(true);
    expect(s.owned.isEmpty(), "s.owned.isEmpty()").toBe(true);
    expect(futs.map((f) => f.disposed)).toEqual([1, 1, 1]);
    for (const j of joins) expect(joinErrorOf(j).isCancelled()).toBe(true);
  });

  it("a task that is running when the list shuts down is cancelled when its poll ends", () => {
    const s = new ListScheduler();
    let during: () => void = () => {};
    const fut = new LeafFuture<number>([], () => during());
    const join = s.spawn(fut);
    during = () => {
      s.owned.closeAndShutdownAll();
      expect(fut.disposed, "not dropped under its own poll").toBe(0);
    };
    s.runAll();
    expect(fut.disposed, "fut.disposed").toBe(1);
    expect(joinErrorOf(join).isCancelled()).toBe(true);
    expect(s.owned.isEmpty(), "s.owned.isEmpty()").toBe(true);
  });

  it("a task bound after the list closed is shut down at once and never polled", () => {
    const s = new ListScheduler();
    s.owned.closeAndShutdownAll();
    const fut = new LeafFuture([1]);
    const [join, notified] = s.owned.bind(fut, s);
    expect(notified, "nothing to schedule").toBeNull();
    expect(fut.polls, "fut.polls").toBe(0);
    expect(fut.disposed, "fut.disposed").toBe(1);
    expect(join.isFinished(), "join.isFinished()").toBe(true);
    expect(joinErrorOf(join).isCancelled()).toBe(true);
    expect(s.owned.length, "s.owned.length").toBe(0);
    expect(s.owned.spawnedCount, "a task refused by a closed list was never added: not counted (Tokio's)").toBe(0);
  });

  it("an unowned task runs once to its output; its references end with the JoinHandle", () => {
    const fut = new LeafFuture([11]);
    const [join, task] = unowned(fut, NEVER);
    const id = task.id;
    task.run();
    expect(fut.polls, "fut.polls").toBe(1);
    expect(join.id, "join.id").toBe(id);
    expect(probe().poll(join)).toBe(11);
    expect(() => task.run(), "an UnownedTask is used once").toThrow();
    join[Symbol.dispose]();
  });

  it("an unowned task aborted before it starts is cancelled by start(), which returns false", () => {
    const fut = new LeafFuture([1]);
    const [join, task] = unowned(fut, NEVER);
    join.abort();
    expect(task.start(), "task.start()").toBe(false);
    expect(fut.polls, "fut.polls").toBe(0);
    expect(fut.disposed, "fut.disposed").toBe(1);
    expect(joinErrorOf(join).isCancelled()).toBe(true);
  });

  it("an unowned task cannot be aborted once started: the output of finish() wins", () => {
    const fut = new LeafFuture(["result"]);
    const [join, task] = unowned(fut, NEVER);
    expect(task.start(), "task.start()").toBe(true);
    join.abort();
    expect(join.isFinished(), "join.isFinished()").toBe(false);
    task.finish();
    expect(probe().poll(join)).toBe("result");
  });

  it("shutting an unowned task down cancels it without polling it", () => {
    const fut = new LeafFuture([1]);
    const [join, task] = unowned(fut, NEVER);
    task.shutdown();
    expect(fut.polls, "fut.polls").toBe(0);
    expect(joinErrorOf(join).isCancelled()).toBe(true);
  });

  it("an unowned task holds two references; dropping it unrun releases both", () => {
    const fut = new LeafFuture<number>();
    const [join, task] = unowned(fut, NEVER);
    const abort = join.abortHandle();
    task[Symbol.dispose]();
    expect(fut.disposed, "the JoinHandle and the AbortHandle still hold the task").toBe(0);
    join[Symbol.dispose]();
    expect(fut.disposed, "the AbortHandle still holds it").toBe(0);
    abort[Symbol.dispose]();
    expect(fut.disposed, "the last reference freed the task, dropping its future").toBe(1);
  });
});
