/**
 * `join` and `tryJoin` (Tokio's `macros/join.rs` and `macros/try_join.rs`): run futures concurrently in one task.
 *
 *     const [user, posts] = yield* join([fetchUser(id), fetchPosts(id)]);
 *     const [a, b] = yield* tryJoin([mustA(), mustB()]);      // the first error wins; the other is dropped
 *
 * Each child sits in a `MaybeDone`. Every poll polls every child that is not done, starting from a different child
 * each time (the `Rotator`: 0, 1, ..., n-1, 0, ...) unless `biased`, so that a child that spends the whole
 * cooperative budget cannot starve the ones after it. Chapter 02's `join`/`joinAll` always start from the first.
 *
 * - `join` never stops early: it completes when every child has completed. Outputs come back in argument order.
 *   If children threw, it throws the error of the first of them in argument order once all are done, as
 *   `let (a, b) = join!(fa, fb); a?; b?;` does in Rust (errors are values there, and `join!` waits for all).
 * - `tryJoin` completes with the first error a child throws, at once, in the order the children were polled, and
 *   disposes the others (Rust drops them when `try_join!` returns `Err`). Otherwise it is `join`.
 *
 * Invariants: a finished child is never polled again; disposing the join disposes every unfinished child, once;
 * neither spends budget of its own (their children do).
 *
 * Task 3 of the lesson.
 */
import { FutureBase, type Future, type Output, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { todo } from "#kit/todo";

export interface JoinOptions {
  /** Always poll the children in argument order (Tokio's `biased;`). */
  biased?: boolean;
}

/** The outputs of a tuple of futures, as a mutable tuple. */
export type Outputs<F extends readonly Future<unknown>[]> = { -readonly [K in keyof F]: Output<F[K]> };

export class Join<T extends unknown[]> extends FutureBase<T> {
  // Sketch: a `MaybeDone` per child, `biased`, whether it is a `tryJoin`, the rotator's next skip, a "done" flag.

  constructor(futures: readonly Future<unknown>[], options: JoinOptions, tryJoin: boolean) {
    super();
    todo("18-select-cancel", "Join.constructor");
  }

  /**
   * Polls every child not done, from the rotator's start (0, 1, ..., n-1, 0, ... on successive polls; always 0 when
   * biased). `tryJoin`: a child that failed ends the join at once with its error, the others disposed. When all are
   * done: a `join` with failed children throws the error of the first in argument order (the others disposed);
   * otherwise the outputs in argument order. Polling a finished join throws an `Error`.
   */
  poll(cx: Context): Poll<T> {
    return todo("18-select-cancel", "Join.poll");
  }

  /** Disposes every unfinished child, once; nothing if the join is over. */
  [Symbol.dispose](): void {
    todo("18-select-cancel", "Join[Symbol.dispose]");
  }
}

/** Waits for every future; their outputs in argument order. See the module comment for errors. */
export function join<const F extends readonly Future<unknown>[]>(futures: F, options: JoinOptions = {}): Join<Outputs<F>> {
  return todo("18-select-cancel", "join");
}

/** Waits for every future, or for the first error (the others are disposed). */
export function tryJoin<const F extends readonly Future<unknown>[]>(futures: F, options: JoinOptions = {}): Join<Outputs<F>> {
  return todo("18-select-cancel", "tryJoin");
}
