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
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";

/** The generator an async function body is: it yields futures, and evaluates to its return value. */
export type AsyncGen<T> = Generator<Future<unknown>, T, unknown>;

export class GenFuture<T> extends FutureBase<T> {
  #gen: AsyncGen<T> | null;
  #awaiting: Future<unknown> | null = null;
  #started = false;

  constructor(gen: AsyncGen<T>) {
    super();
    this.#gen = gen;
  }

  poll(cx: Context): Poll<T> {
    const gen = this.#gen;
    if (gen === null) throw new Error("async function polled after completion");
    let step: IteratorResult<Future<unknown>, T>;
    try {
      if (!this.#started) {
        this.#started = true;
        step = gen.next();
      } else {
        step = this.#resume(gen, this.#awaiting!, cx);
        if (step === PENDING_STEP) return Pending;
      }
      while (!step.done) {
        const fut = step.value;
        if (fut === null || typeof fut !== "object" || typeof (fut as Future<unknown>).poll !== "function") {
          throw new TypeError(
            `an async function yielded ${String(fut)}, which is not a future; write \`yield* future\``,
          );
        }
        step = this.#resume(gen, fut, cx);
        if (step === PENDING_STEP) return Pending;
      }
    } catch (e) {
      this.#finish();
      throw e;
    }
    this.#finish();
    return step.value;
  }

  /** Polls the awaited future once and resumes the body with its outcome; `PENDING_STEP` if it is not ready. */
  #resume(gen: AsyncGen<T>, fut: Future<unknown>, cx: Context): IteratorResult<Future<unknown>, T> {
    let out: unknown;
    try {
      out = fut.poll(cx);
    } catch (e) {
      this.#awaiting = null;
      return gen.throw(e);
    }
    if (out === Pending) {
      this.#awaiting = fut;
      return PENDING_STEP;
    }
    this.#awaiting = null;
    return gen.next(out);
  }

  #finish(): void {
    this.#gen = null;
    this.#awaiting = null;
  }

  [Symbol.dispose](): void {
    const gen = this.#gen;
    if (gen === null) return;
    const awaiting = this.#awaiting;
    this.#finish();
    try {
      awaiting?.[Symbol.dispose]?.();
    } finally {
      gen.return(undefined as T);
    }
  }
}

const PENDING_STEP = { done: false, value: null } as unknown as IteratorResult<Future<unknown>, never>;

/** Turns a generator function into a function that returns futures: `async fn` for our runtime. */
export function asyncFn<A extends unknown[], T>(body: (...args: A) => AsyncGen<T>): (...args: A) => GenFuture<T> {
  return (...args: A) => new GenFuture(body(...args));
}

/** An async block: a future made from a generator function that takes no arguments. */
export function asyncBlock<T>(body: () => AsyncGen<T>): GenFuture<T> {
  return new GenFuture(body());
}
