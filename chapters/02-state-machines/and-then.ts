/**
 * `andThen(future, f)`: when `future` completes, `f(output)` gives the next future, and this one completes with
 * that future's output. A two-state machine: `First { future }` then `Second { future }`; the first future is
 * released as soon as it is done, because nothing after that suspension point needs it.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

export class AndThen<T, U> extends FutureBase<U> {
  // Sketch: the first future (until it completes), the second one (once `f` made it), and `f`.

  constructor(first: Future<T>, f: (value: T) => Future<U>) {
    super();
    todo("02-state-machines", "AndThen.constructor");
  }

  /**
   * Polls the first future; once it is ready, drops it, calls `f(output)` and polls the second future in the same
   * poll. Completes with the second future's output. Polled after completion: throws
   * "`AndThen` polled after completion".
   */
  poll(cx: Context): Poll<U> {
    return todo("02-state-machines", "AndThen.poll");
  }

  /** Disposes whichever future is live (the first or the second); a no-op once complete. */
  [Symbol.dispose](): void {
    todo("02-state-machines", "AndThen[Symbol.dispose]");
  }
}

export function andThen<T, U>(future: Future<T>, f: (value: T) => Future<U>): AndThen<T, U> {
  return new AndThen(future, f);
}
