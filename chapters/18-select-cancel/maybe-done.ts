/**
 * `MaybeDone` (Tokio's `future/maybe_done.rs`): a future, or its outcome once it has completed.
 *
 * What `join` and `tryJoin` keep per child: polling it again after it completed returns ready at once without
 * touching the finished future (which was let go the moment it completed), and the outcome waits to be taken.
 * Rust's `join!` over fallible futures holds a `Result` per child; ours holds either the output or the error the
 * poll threw (then the future is disposed, as Rust drops a future that failed).
 *
 *     Future(f) ──poll: ready, or threw──► Done(output | error) ──takeOutput() / takeError()──► Gone
 *
 * Invariants: the inner future is polled only in the `Future` state; the outcome is taken once, in `Done`
 * (`takeOutput()` after a success, `takeError()` after a failure); disposing drops an unfinished inner future
 * (once) and forgets the outcome.
 *
 * Task 3 of the lesson.
 */
import type { Future } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";

export class MaybeDone<T> {
  // Sketch: the state (Future, Done or Gone), the future (null once done), the output or the error.

  constructor(future: Future<T>) {
    todo("18-select-cancel", "MaybeDone.constructor");
  }

  /**
   * Polls the inner future if it is still running; true once it has an outcome (an output or an error). A poll that
   * throws is an outcome too: keep the error and dispose the future. Polling after the outcome was taken throws
   * `Error("MaybeDone polled after value taken")`.
   */
  poll(cx: Context): boolean {
    return todo("18-select-cancel", "MaybeDone.poll");
  }

  /** True when the future is done and its poll threw. */
  isErr(): boolean {
    return todo("18-select-cancel", "MaybeDone.isErr");
  }

  /** The output of a future that completed; it leaves (`Gone`). Anything else throws `Error("expected completed future")`. */
  takeOutput(): T {
    return todo("18-select-cancel", "MaybeDone.takeOutput");
  }

  /** The error of a future that failed; it leaves (`Gone`). Anything else throws `Error("expected failed future")`. */
  takeError(): unknown {
    return todo("18-select-cancel", "MaybeDone.takeError");
  }

  /** Disposes an unfinished inner future (once) and forgets the outcome. */
  [Symbol.dispose](): void {
    todo("18-select-cancel", "MaybeDone[Symbol.dispose]");
  }
}
