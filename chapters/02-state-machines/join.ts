/**
 * `join(a, b)` and `joinAll(futures)`: wait for every future and complete with all outputs, in argument order.
 *
 * Each poll polls every child that is not done yet (a done child is never polled again: its output is kept),
 * so all children make progress concurrently within one task. Disposing the join disposes the unfinished
 * children.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Future, type Output, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

export class JoinAll<T> extends FutureBase<T[]> {
  // Sketch: the children (a finished child's slot is emptied), their outputs, how many are still running.

  constructor(futures: Iterable<Future<T>>) {
    super();
    todo("02-state-machines", "JoinAll.constructor");
  }

  /**
   * Polls every unfinished child once, in order (even after one of them returned `Pending`), and keeps the outputs
   * of those that are ready. Completes with the outputs in the children's order when the last one is ready (an
   * empty join completes on its first poll with `[]`). Polled after completion: throws
   * "join polled after completion".
   */
  poll(cx: Context): Poll<T[]> {
    return todo("02-state-machines", "JoinAll.poll");
  }

  /** Disposes every unfinished child, once. */
  [Symbol.dispose](): void {
    todo("02-state-machines", "JoinAll[Symbol.dispose]");
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
