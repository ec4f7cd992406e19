/**
 * `lazy(f)`: a future that runs `f` on its first poll and completes with its result (`futures::future::lazy`).
 * It shows what makes Rust futures lazy, unlike a JavaScript promise: nothing runs until someone polls.
 * Invariant: `f` runs at most once, and never before the first poll.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase } from "./future.ts";
import type { Poll } from "./poll.ts";

export class Lazy<T> extends FutureBase<T> {
  #f: ((cx: Context) => T) | null;

  constructor(f: (cx: Context) => T) {
    super();
    this.#f = f;
  }

  poll(cx: Context): Poll<T> {
    const f = this.#f;
    if (f === null) throw new Error("`Lazy` polled after completion");
    this.#f = null;
    return f(cx);
  }
}

export function lazy<T>(f: (cx: Context) => T): Lazy<T> {
  return new Lazy(f);
}
