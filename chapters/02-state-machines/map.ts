/**
 * `map(future, f)`: completes with `f(output)`. The combinator owns the inner future and forwards `dispose`.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

export class Map<T, U> extends FutureBase<U> {
  // Sketch: the inner future (null once it has completed) and `f`.

  constructor(inner: Future<T>, f: (value: T) => U) {
    super();
    todo("02-state-machines", "Map.constructor");
  }

  /**
   * Polls the inner future; when it is ready, lets go of it and returns `f(output)` (`f` runs exactly once).
   * Polled after completion: throws "`Map` polled after completion".
   */
  poll(cx: Context): Poll<U> {
    return todo("02-state-machines", "Map.poll");
  }

  /** Disposes the inner future if it has not completed; a no-op otherwise (and the second time). */
  [Symbol.dispose](): void {
    todo("02-state-machines", "Map[Symbol.dispose]");
  }
}

export function map<T, U>(future: Future<T>, f: (value: T) => U): Map<T, U> {
  return new Map(future, f);
}
