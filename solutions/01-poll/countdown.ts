/**
 * `countdown(n)`: a future that needs `n` more polls before it completes, and asks to be polled again each time.
 *
 * It is the smallest honest pending future: every time it returns `Pending` it has already called
 * `cx.waker.wakeByRef()`, so an executor that waits for wakes still makes progress. It completes with the number
 * of times it was polled in all (`n + 1`).
 */
import type { Context } from "#kata/03-waker";
import { FutureBase } from "./future.ts";
import { Pending, type Poll } from "./poll.ts";

export class Countdown extends FutureBase<number> {
  #remaining: number;
  #polls = 0;
  #done = false;

  constructor(n: number) {
    super();
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`countdown needs a whole number >= 0, got ${n}`);
    this.#remaining = n;
  }

  poll(cx: Context): Poll<number> {
    if (this.#done) throw new Error("`Countdown` polled after completion");
    this.#polls++;
    if (this.#remaining === 0) {
      this.#done = true;
      return this.#polls;
    }
    this.#remaining--;
    cx.waker.wakeByRef();
    return Pending;
  }
}

export function countdown(n: number): Countdown {
  return new Countdown(n);
}
