/**
 * `map(future, f)`: completes with `f(output)`. The combinator owns the inner future and forwards `dispose`.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";

export class Map<T, U> extends FutureBase<U> {
  #inner: Future<T> | null;
  #f: (value: T) => U;

  constructor(inner: Future<T>, f: (value: T) => U) {
    super();
    this.#inner = inner;
    this.#f = f;
  }

  poll(cx: Context): Poll<U> {
    const inner = this.#inner;
    if (inner === null) throw new Error("`Map` polled after completion");
    const out = inner.poll(cx);
    if (out === Pending) return Pending;
    this.#inner = null;
    return this.#f(out);
  }

  [Symbol.dispose](): void {
    const inner = this.#inner;
    this.#inner = null;
    inner?.[Symbol.dispose]?.();
  }
}

export function map<T, U>(future: Future<T>, f: (value: T) => U): Map<T, U> {
  return new Map(future, f);
}
