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
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Poll } from "#kata/01-poll";
import type { RawTask, Schedule } from "#kata/06-task";
import type { DriverHandle } from "#kata/07-current-thread";

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

  poll(_cx: Context): Poll<T> {
    const outcome = this.outcome;
    if (outcome === null) throw new Error("[internal exception] blocking task polled before its thread delivered");
    this.outcome = null;
    if (outcome.ok) return outcome.value as T;
    throw outcome.error;
  }
}

export class BlockingSchedule implements Schedule {
  readonly #driver: DriverHandle | null;

  /** Inhibits the paused clock's auto-advance until the task is released (Tokio's `BlockingSchedule::new`). */
  constructor(driver: DriverHandle | null) {
    this.#driver = driver;
    driver?.clock.inhibitAutoAdvance();
  }

  schedule(_task: RawTask): void {
    throw new Error("unreachable: a blocking task is never scheduled");
  }

  yieldNow(_task: RawTask): void {
    throw new Error("unreachable: a blocking task is never requeued");
  }

  /** The task completed: let the clock auto-advance again and unpark the runtime so it sees that. */
  release(_task: RawTask): boolean {
    const driver = this.#driver;
    if (driver !== null) {
      driver.clock.allowAutoAdvance();
      driver.unpark();
    }
    return false;
  }
}
