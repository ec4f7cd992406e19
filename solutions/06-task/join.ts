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
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { pollProceed, restore } from "#kata/14-blocking";
import { AbortHandle } from "./abort.ts";
import type { RawTask } from "./core.ts";
import { dropJoinHandleSlow, remoteAbort, tryReadOutput } from "./harness.ts";

export class JoinHandle<T> extends FutureBase<T> {
  #raw: RawTask<T> | null;

  constructor(raw: RawTask<T>) {
    super();
    this.#raw = raw;
  }

  poll(cx: Context): Poll<T> {
    const raw = this.#raw;
    if (raw === null) throw new Error("JoinHandle polled after it was dropped");
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    const out = tryReadOutput(raw, cx.waker);
    if (out === Pending) restore(coop);
    return out;
  }

  /** Cancels the task at its next poll boundary (no effect once it has completed). */
  abort(): void {
    if (this.#raw !== null) remoteAbort(this.#raw);
  }

  /** True once the task has completed, by output, panic or cancellation. */
  isFinished(): boolean {
    return live(this.#raw).state.isComplete();
  }

  /** A handle that can abort the task but not read its output. */
  abortHandle(): AbortHandle {
    return new AbortHandle(live(this.#raw));
  }

  get id(): number {
    return live(this.#raw).id;
  }

  /** Drops the handle: detaches the task, never cancels it. */
  [Symbol.dispose](): void {
    const raw = this.#raw;
    if (raw === null) return;
    this.#raw = null;
    if (!raw.state.dropJoinHandleFast()) dropJoinHandleSlow(raw);
  }
}

/**
 * The task of a handle that has not been dropped. (A function, not a private method: a class with private methods
 * gives each instance a hidden brand field, 8 bytes per spawned task.)
 */
function live<T>(raw: RawTask<T> | null): RawTask<T> {
  if (raw === null) throw new Error("JoinHandle used after it was dropped");
  return raw;
}
