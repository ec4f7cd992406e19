/**
 * A blocking job and the task that carries it (Tokio's `runtime/blocking/{task.rs,schedule.rs}`).
 *
 * JavaScript cannot move a closure to another thread: a function's variables live in its own thread's heap. So a
 * job is described by what can cross a thread boundary: a module and the name of one of its exports, or a
 * function's source text, each with arguments the structured-clone algorithm can copy.
 *
 * `BlockingTask` is the future of the chapter 06 task that stands for the job on the runtime's side. Its one poll
 * hands back what the thread delivered: the value, or the thrown error (which the harness turns into a
 * `JoinError` of kind panic). `BlockingSchedule` is that task's scheduler: blocking tasks are never scheduled,
 * and while one exists the paused clock must not auto-advance (a job is making progress the clock cannot see).
 *
 * Task 3 of the lesson (the types are given).
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Poll } from "#kata/01-poll";
import type { RawTask, Schedule } from "#kata/06-task";
import type { DriverHandle } from "#kata/07-current-thread";
import { todo } from "#kit/todo";

/** What crosses to the worker thread. */
export type BlockingJob =
  | { readonly kind: "module"; readonly module: string; readonly export: string; readonly args: readonly unknown[] }
  | { readonly kind: "source"; readonly source: string; readonly args: readonly unknown[] };

/** What comes back: the job's value or what it threw; `threadDied` when the thread itself is gone. */
export type JobOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown; readonly threadDied?: boolean };

export class BlockingTask<T> extends FutureBase<T> {
  /** Set by the pool when the thread has delivered, just before the task's poll. */
  outcome: JobOutcome | null = null;

  constructor(readonly job: BlockingJob) {
    super();
  }

  /** Takes `outcome` (throws if there is none yet): returns the value, or throws the error. */
  poll(_cx: Context): Poll<T> {
    return todo("14-blocking", "BlockingTask.poll");
  }
}

export class BlockingSchedule implements Schedule {
  /**
   * Inhibits the paused clock's auto-advance (`driver.clock.inhibitAutoAdvance()`) until the task is released;
   * `driver` may be null (a pool without a runtime).
   */
  constructor(driver: DriverHandle | null) {
    todo("14-blocking", "new BlockingSchedule");
  }

  schedule(_task: RawTask): void {
    throw new Error("unreachable: a blocking task is never scheduled");
  }

  yieldNow(_task: RawTask): void {
    throw new Error("unreachable: a blocking task is never requeued");
  }

  /** The task completed: allow auto-advance again and unpark the runtime so it sees that. Returns false. */
  release(_task: RawTask): boolean {
    return todo("14-blocking", "BlockingSchedule.release");
  }
}
