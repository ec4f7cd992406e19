/**
 * `Console`: tokio-console in miniature. It tracks the tasks whose futures it wrapped and lints them the way the
 * console's warnings do.
 *
 *     const console = new Console();
 *     console.spawn(acceptLoop(listener), "accept");      // spawn(console.instrument(fut, "accept"))
 *     ...
 *     for (const w of console.warnings()) log(w.message);  // "This task has lost its waker, ..."
 *
 * The wrapper (`Traced`) does what console-subscriber learns from Tokio's tracing instrumentation:
 * - each poll: `startPoll(now)`, poll the inner future, `endPoll(now)`; ready, thrown or disposed: `drop(now)`;
 * - the inner future is polled with the console's waker for the task, made once: cloning it counts a clone,
 *   dropping it a drop, waking it a wake (a wake by value also a drop). Every wake is passed on to the task's real
 *   waker, a clone of which the wrapper keeps (replaced when a poll brings one that would not wake the same task,
 *   dropped when the task is done). A wake that happens while the wrapper is polling this task is a self-wake.
 *
 * Lints (`warnings.ts`), as tokio-console's `warnings.rs`: a task that woke itself more than 50% of the time; a
 * task that lost its waker (pending, not running, not woken, and no waker left to wake it); a task that has been in
 * its first poll for 1 s or more without yielding.
 *
 * Where JavaScript differs: tokio-console runs in another process and samples the tasks while they run. Ours lives
 * on the only thread, so it sees a task "running" only when asked from inside that task's poll; a hog is seen
 * afterwards as a long poll, in its `busyTime` and in the scheduling delays of everyone else (Task 5).
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import type { JoinHandle } from "#kata/06-task";
import { todo } from "#kit/todo";
import { runtimeNow, type Now } from "./clock.ts";
import type { Sequence, TaskStats } from "./task-stats.ts";
import type { LintOptions, Warning } from "./warnings.ts";

export interface ConsoleOptions extends Partial<LintOptions> {
  /** The clock; default: the current runtime's (see `clock.ts`). */
  now?: Now;
}

export class Console implements Sequence {
  readonly #now: Now;
  readonly #lints: LintOptions;
  // Sketch: the tasks' stats in instrumentation order; the last sequence number handed out.

  /** Given: binds the clock and the lints' limits (self-wakes 50%, never yielded 1000 ms). */
  constructor(options: ConsoleOptions = {}) {
    this.#now = options.now ?? runtimeNow();
    this.#lints = {
      selfWakePercent: options.selfWakePercent ?? 50,
      neverYieldedMs: options.neverYieldedMs ?? 1000,
    };
  }

  /** The next number of the console's event order: 1, 2, 3, ... */
  next(): number {
    return todo("19-capstone", "Console.next");
  }

  /** Wraps `future` as a task the console tracks; its stats (ids 1, 2, ... in this order) exist from now on. */
  instrument<T>(future: Future<T>, name?: string): Traced<T> {
    return todo("19-capstone", "Console.instrument");
  }

  /** Spawns `future` on the current runtime, tracked: `spawn(this.instrument(future, name))`. */
  spawn<T>(future: Future<T>, name?: string): JoinHandle<T> {
    return todo("19-capstone", "Console.spawn");
  }

  /** Every task tracked, in the order they were instrumented (completed ones included). */
  tasks(): readonly TaskStats[] {
    return todo("19-capstone", "Console.tasks");
  }

  /** The warnings that hold now (`lint` of every task at the console's `now()`), task by task. */
  warnings(): Warning[] {
    return todo("19-capstone", "Console.warnings");
  }
}

/**
 * The wrapper of one task. Keep (suggested): the inner future; a tracker the console's waker points at (the
 * stats, a clone of the task's real waker, whether a poll is under way); the `Context` made once around the
 * console's waker (a `RawWaker` whose vtable counts clones, drops and wakes); whether the task is done.
 */
export class Traced<T> extends FutureBase<T> {
  constructor(inner: Future<T>, stats: TaskStats) {
    super();
    todo("19-capstone", "new Traced");
  }

  get stats(): TaskStats {
    return todo("19-capstone", "Traced.stats");
  }

  poll(cx: Context): Poll<T> {
    return todo("19-capstone", "Traced.poll");
  }

  [Symbol.dispose](): void {
    todo("19-capstone", "Traced[Symbol.dispose]");
  }
}
