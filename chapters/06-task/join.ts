/**
 * `JoinHandle<T>`: the future that yields a spawned task's output (Tokio's `runtime/task/join.rs`).
 *
 * - `yield* handle` evaluates to the task's output, or throws its `JoinError` (cancelled or panic);
 * - its poll spends a unit of the cooperative budget, and gives it back when the task is not done;
 * - `abort()` asks the task to stop at its next poll boundary; a poll already under way finishes, and if it
 *   returns ready the output wins over the abort;
 * - dropping the handle (`[Symbol.dispose]`, or `using`) detaches the task: it keeps running, and its output is
 *   dropped when it completes. A handle that is simply forgotten behaves the same, except that the output stays
 *   until the garbage collector frees the task: JavaScript will not run our drop for us.
 *
 * Task 4 of the lesson.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";
import type { AbortHandle } from "./abort.ts";
import type { RawTask } from "./core.ts";

export class JoinHandle<T> extends FutureBase<T> {
  // The task, or null once the handle has been dropped.
  #raw: RawTask<T> | null;

  /** Takes over the JoinHandle's reference of `raw` (one of its three initial references). */
  constructor(raw: RawTask<T>) {
    super();
    this.#raw = raw;
  }

  /**
   * Throws if the handle was dropped. Then: `pollProceed(cx)` (chapter 14; `Pending` means no budget is left);
   * `tryReadOutput`; if that is `Pending`, `restore` the unit.
   */
  poll(cx: Context): Poll<T> {
    return todo("06-task", "JoinHandle.poll");
  }

  /** Cancels the task at its next poll boundary (no effect once it has completed, or after the handle's drop). */
  abort(): void {
    return todo("06-task", "JoinHandle.abort");
  }

  /** True once the task has completed, by output, panic or cancellation. Throws after the handle's drop. */
  isFinished(): boolean {
    return todo("06-task", "JoinHandle.isFinished");
  }

  /** A handle that can abort the task but not read its output (it holds a reference of its own). */
  abortHandle(): AbortHandle {
    return todo("06-task", "JoinHandle.abortHandle");
  }

  /** The task's id. Throws after the handle's drop. */
  get id(): number {
    return todo("06-task", "JoinHandle.id");
  }

  /** Drops the handle: the fast path if the state word allows it, else the slow one. Never cancels. Idempotent. */
  [Symbol.dispose](): void {
    return todo("06-task", "JoinHandle[Symbol.dispose]");
  }
}
