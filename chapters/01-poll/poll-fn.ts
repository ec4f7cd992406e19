/**
 * `pollFn(f)`: a future whose `poll` is the closure `f` (Rust's `std::future::poll_fn`).
 * Each poll calls `f(cx)` once; the closure keeps whatever state it needs between polls.
 * Invariant: once `f` has returned a value, the future is complete and a further poll throws.
 */
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class PollFn<T> extends FutureBase<T> {
  // Sketch: the closure, and whether it has returned a value yet.

  constructor(f: (cx: Context) => Poll<T>) {
    super();
    todo("01-poll", "PollFn.constructor");
  }

  /** Calls `f(cx)` exactly once and returns what it returned; throws "`PollFn` polled after completion" once done. */
  poll(cx: Context): Poll<T> {
    return todo("01-poll", "PollFn.poll");
  }
}

export function pollFn<T>(f: (cx: Context) => Poll<T>): PollFn<T> {
  return new PollFn(f);
}
