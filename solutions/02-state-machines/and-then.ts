/**
 * `andThen(future, f)`: when `future` completes, `f(output)` gives the next future, and this one completes with
 * that future's output. A two-state machine: `First { future }` then `Second { future }`; the first future is
 * released as soon as it is done, because nothing after that suspension point needs it.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";

export class AndThen<T, U> extends FutureBase<U> {
  #first: Future<T> | null;
  #second: Future<U> | null = null;
  #f: (value: T) => Future<U>;

  constructor(first: Future<T>, f: (value: T) => Future<U>) {
    super();
    this.#first = first;
    this.#f = f;
  }

  poll(cx: Context): Poll<U> {
    if (this.#first !== null) {
      const out = this.#first.poll(cx);
      if (out === Pending) return Pending;
      this.#first = null;
      this.#second = this.#f(out);
    }
    const second = this.#second;
    if (second === null) throw new Error("`AndThen` polled after completion");
    const out = second.poll(cx);
    if (out !== Pending) this.#second = null;
    return out;
  }

  [Symbol.dispose](): void {
    const live = this.#first ?? this.#second;
    this.#first = null;
    this.#second = null;
    live?.[Symbol.dispose]?.();
  }
}

export function andThen<T, U>(future: Future<T>, f: (value: T) => Future<U>): AndThen<T, U> {
  return new AndThen(future, f);
}
