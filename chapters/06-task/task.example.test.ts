/**
 * Public examples for chapter 06: a task driven by a ten-line scheduler, its JoinHandle, a wake during a poll,
 * and abort. Run them with `npm run kata -- ui 06`, or `KATA_MODE=solo:06 npx vitest run chapters/06-task`.
 */
import { describe, expect, it } from "vitest";
import { Pending, pollFn, type Future } from "#kata/01-poll";
import { asyncBlock } from "#kata/02-state-machines";
import { Context, Waker } from "#kata/03-waker";
import { JoinError, JoinHandle, nextTaskId, poll, RawTask, type Schedule } from "#kata/06-task";

/** The smallest scheduler there is: a FIFO run queue, and a log of what the harness asked of it. */
class TinyScheduler implements Schedule {
  readonly queue: RawTask[] = [];
  readonly log: string[] = [];
  schedule(task: RawTask) {
    this.log.push(`schedule ${task.id}`);
    this.queue.push(task);
  }
  yieldNow(task: RawTask) {
    this.log.push(`yieldNow ${task.id}`);
    this.queue.push(task);
  }
  release(_task: RawTask) {
    return false; // this scheduler keeps no owned list
  }
  spawn<T>(future: Future<T>): JoinHandle<T> {
    const task = new RawTask(future, this, nextTaskId());
    this.schedule(task);
    return new JoinHandle(task);
  }
  run() {
    for (let t = this.queue.shift(); t !== undefined; t = this.queue.shift()) poll(t);
  }
}

const noop = new Context(Waker.noop());

describe("chapter 06 examples", () => {
  it("a spawned task runs when the scheduler polls it, and its JoinHandle gives the output", () => {
    const sched = new TinyScheduler();
    const handle = sched.spawn(asyncBlock(function* () {
      return 6 * 7;
    }));
    expect(handle.isFinished()).toBe(false);
    sched.run();
    expect(handle.isFinished()).toBe(true);
    expect(handle.poll(noop)).toBe(42);
  });

  it("a task that wakes itself during its poll is requeued once, with yieldNow", () => {
    const sched = new TinyScheduler();
    let polls = 0;
    const handle = sched.spawn(asyncBlock(function* () {
      yield* pollFn<void>((cx) => {
        polls++;
        if (polls > 1) return undefined;
        cx.waker.wakeByRef(); // woken while running: no schedule now
        cx.waker.wakeByRef(); // coalesced
        return Pending;
      });
      return polls;
    }));
    sched.run();
    expect(sched.log).toEqual([`schedule ${handle.id}`, `yieldNow ${handle.id}`]);
    expect(handle.poll(noop)).toBe(2);
  });

  it("abort cancels an idle task at its next poll; the JoinHandle throws a JoinError", () => {
    const sched = new TinyScheduler();
    const handle = sched.spawn(asyncBlock(function* () {
      yield* pollFn<never>(() => Pending); // waits forever
    }));
    sched.run();
    handle.abort();
    sched.run();
    let error: unknown;
    try {
      handle.poll(noop);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JoinError);
    expect((error as JoinError).isCancelled()).toBe(true);
  });
});
