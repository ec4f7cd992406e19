/**
 * `pollFn(f)`: a future whose `poll` is the closure `f` (Rust's `std::future::poll_fn`).
 * Each poll calls `f(cx)` once; the closure keeps whatever state it needs between polls.
 * Invariant: once `f` has returned a value, the future is complete and a further poll throws.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase } from "./future.ts";
import { Pending, type Poll } from "./poll.ts";

export class PollFn<T> extends FutureBase<T> {
  #f: (cx: Context) => Poll<T>;
  #done = false;

  constructor(f: (cx: Context) => Poll<T>) {
    super();
    this.#f = f;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new Error("`PollFn` polled after completion");
    const out = this.#f(cx);
    if (out !== Pending) this.#done = true;
    return out;
  }
}

export function pollFn<T>(f: (cx: Context) => Poll<T>): PollFn<T> {
  return new PollFn(f);
}
