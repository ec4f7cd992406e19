/**
 * The generator adapter: async functions for our futures.
 *
 * JavaScript's `async function` runs on native promises, so it cannot await our poll-based futures. A generator
 * function can: inside it `yield* future` hands the future to the adapter, which polls it (with the task's
 * `Context`) and resumes the generator with the output once it is ready. That is exactly what Rust's compiler
 * does with `.await`: the generator object is the state machine, and each `yield*` is a suspension point.
 *
 * Invariants:
 * - nothing in the body runs before the first poll (generators are lazy too);
 * - one poll drives the body as far as it can: through every future that is ready at once, stopping only at the
 *   first `Pending`;
 * - an error thrown by an awaited future is thrown into the body at the `yield*`, so `try`/`catch` works;
 * - once the body has returned (or thrown) the future is complete; polling it again throws;
 * - `[Symbol.dispose]()` drops the future mid-way: it disposes the future being awaited, then returns the
 *   generator so its `finally` blocks and `using` declarations run. Those must not await (Rust's `Drop` cannot).
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

/** The generator an async function body is: it yields futures, and evaluates to its return value. */
export type AsyncGen<T> = Generator<Future<unknown>, T, unknown>;

export class GenFuture<T> extends FutureBase<T> {
  // Sketch: the generator (null once complete), the future it is suspended on (or null), started or not.

  constructor(gen: AsyncGen<T>) {
    super();
    todo("02-state-machines", "GenFuture.constructor");
  }

  /**
   * Runs the body until it returns (its value is the output) or an awaited future is `Pending` (then `Pending`).
   * The first poll starts the body with `gen.next()`; each yielded value is a future to poll with `cx`: ready,
   * resume the body with `gen.next(output)`; throwing, resume it with `gen.throw(error)`; pending, remember the
   * future and return `Pending` (the next poll starts by polling that same future).
   * Errors: a yielded value that is not a future (no `poll` method) throws a `TypeError` whose message contains
   * "not a future"; a body that throws completes the future and the error propagates out of `poll`; a poll after
   * completion throws "async function polled after completion".
   */
  poll(cx: Context): Poll<T> {
    return todo("02-state-machines", "GenFuture.poll");
  }

  /**
   * Drops the future before completion: disposes the awaited future (if any), then `gen.return()` so that the
   * body's `finally` blocks run. A no-op once the future is complete or already disposed.
   */
  [Symbol.dispose](): void {
    todo("02-state-machines", "GenFuture[Symbol.dispose]");
  }
}

/** Turns a generator function into a function that returns futures: `async fn` for our runtime. */
export function asyncFn<A extends unknown[], T>(body: (...args: A) => AsyncGen<T>): (...args: A) => GenFuture<T> {
  return (...args: A) => new GenFuture(body(...args));
}

/** An async block: a future made from a generator function that takes no arguments. */
export function asyncBlock<T>(body: () => AsyncGen<T>): GenFuture<T> {
  return new GenFuture(body());
}
