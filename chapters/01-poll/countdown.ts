/**
 * `countdown(n)`: a future that needs `n` more polls before it completes, and asks to be polled again each time.
 *
 * It is the smallest honest pending future: every time it returns `Pending` it has already called
 * `cx.waker.wakeByRef()`, so an executor that waits for wakes still makes progress. It completes with the number
 * of times it was polled in all (`n + 1`).
 */
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class Countdown extends FutureBase<number> {
  // Sketch: polls still to refuse, polls received so far, done.

  /** Throws a `RangeError` unless `n` is a whole number >= 0. */
  constructor(n: number) {
    super();
    todo("01-poll", "Countdown.constructor");
  }

  /**
   * The first `n` polls each call `cx.waker.wakeByRef()` and return `Pending`; the next returns `n + 1`.
   * Polled after that, it throws "`Countdown` polled after completion".
   */
  poll(cx: Context): Poll<number> {
    return todo("01-poll", "Countdown.poll");
  }
}

export function countdown(n: number): Countdown {
  return new Countdown(n);
}
