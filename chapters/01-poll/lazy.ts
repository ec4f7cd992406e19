/**
 * `lazy(f)`: a future that runs `f` on its first poll and completes with its result (`futures::future::lazy`).
 * It shows what makes Rust futures lazy, unlike a JavaScript promise: nothing runs until someone polls.
 * Invariant: `f` runs at most once, and never before the first poll.
 */
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class Lazy<T> extends FutureBase<T> {
  // Sketch: the closure until it has run (then let go of it).

  constructor(f: (cx: Context) => T) {
    super();
    todo("01-poll", "Lazy.constructor");
  }

  /** Runs `f(cx)` and returns its result (never `Pending`); throws "`Lazy` polled after completion" afterwards. */
  poll(cx: Context): Poll<T> {
    return todo("01-poll", "Lazy.poll");
  }
}

export function lazy<T>(f: (cx: Context) => T): Lazy<T> {
  return new Lazy(f);
}
