/**
 * `join(a, b)` and `joinAll(futures)`: wait for every future and complete with all outputs, in argument order.
 *
 * Each poll polls every child that is not done yet (a done child is never polled again: its output is kept),
 * so all children make progress concurrently within one task. Disposing the join disposes the unfinished
 * children.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Output, type Poll } from "#kata/01-poll";

export class JoinAll<T> extends FutureBase<T[]> {
  #futures: (Future<T> | null)[];
  #outputs: T[];
  #remaining: number;
  #done = false;

  constructor(futures: Iterable<Future<T>>) {
    super();
    this.#futures = [...futures];
    this.#outputs = new Array<T>(this.#futures.length);
    this.#remaining = this.#futures.length;
  }

  poll(cx: Context): Poll<T[]> {
    if (this.#done) throw new Error("join polled after completion");
    const futures = this.#futures;
    for (let i = 0; i < futures.length; i++) {
      const f = futures[i];
      if (f == null) continue;
      const out = f.poll(cx);
      if (out === Pending) continue;
      this.#outputs[i] = out;
      futures[i] = null;
      this.#remaining--;
    }
    if (this.#remaining > 0) return Pending;
    this.#done = true;
    return this.#outputs;
  }

  [Symbol.dispose](): void {
    const futures = this.#futures;
    this.#futures = [];
    for (const f of futures) f?.[Symbol.dispose]?.();
  }
}

export function joinAll<T>(futures: Iterable<Future<T>>): JoinAll<T> {
  return new JoinAll(futures);
}

export function join<A, B>(a: Future<A>, b: Future<B>): Future<[A, B]>;
export function join<F extends Future<unknown>[]>(...futures: F): Future<{ [K in keyof F]: Output<F[K]> }>;
export function join(...futures: Future<unknown>[]): Future<unknown[]> {
  return new JoinAll(futures);
}
