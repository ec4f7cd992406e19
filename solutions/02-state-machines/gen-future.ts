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
  /** The future the body waits on; null before the first poll (and after the last). */
  #awaiting: Future<unknown> | null = null;

  constructor(gen: AsyncGen<T>) {
    super();
    this.#gen = gen;
  }

  poll(cx: Context): Poll<T> {
    const gen = this.#gen;
    if (gen === null) throw new Error("async function polled after completion");
    let fut = this.#awaiting;
    let step: IteratorResult<Future<unknown>, T>;
    try {
      // Only the first poll finds nothing awaited: the body has not started.
      step = fut === null ? gen.next() : resume(gen, fut, cx);
      while (step !== PENDING_STEP) {
        if (step.done) {
          this.#gen = null;
          this.#awaiting = null;
          return step.value;
        }
        fut = asFuture(step.value);
        step = resume(gen, fut, cx);
      }
    } catch (e) {
      this.#gen = null;
      this.#awaiting = null;
      // A body that yielded something other than a future is still suspended at that `yield`: return from it, so
      // its `finally` blocks run (a body that threw has finished, and this does nothing).
      gen.return(undefined as T);
      throw e;
    }
    this.#awaiting = fut;
    return Pending;
  }

  [Symbol.dispose](): void {
    const gen = this.#gen;
    if (gen === null) return;
    const awaiting = this.#awaiting;
    this.#gen = null;
    this.#awaiting = null;
    try {
      awaiting?.[Symbol.dispose]?.();
    } finally {
      gen.return(undefined as T);
    }
  }
}

/** What `resume` returns when the awaited future is not ready: the body stays suspended. */
const PENDING_STEP = { done: false, value: null } as unknown as IteratorResult<Future<unknown>, never>;

/**
 * Polls the awaited future once and resumes the body with its outcome (its output, or the error it threw);
 * `PENDING_STEP` if it is not ready. (A function, not a private method: a class with private methods gives each
 * instance a hidden brand field, 8 bytes per async function call.)
 */
function resume<T>(gen: AsyncGen<T>, fut: Future<unknown>, cx: Context): IteratorResult<Future<unknown>, T> {
  let out: unknown;
  try {
    out = fut.poll(cx);
  } catch (e) {
    return gen.throw(e);
  }
  return out === Pending ? PENDING_STEP : gen.next(out);
}

function asFuture(value: unknown): Future<unknown> {
  if (value === null || typeof value !== "object" || typeof (value as Future<unknown>).poll !== "function") {
    throw new TypeError(`an async function yielded ${String(value)}, which is not a future; write \`yield* future\``);
  }
  return value as Future<unknown>;
}

/** Turns a generator function into a function that returns futures: `async fn` for our runtime. */
export function asyncFn<A extends unknown[], T>(body: (...args: A) => AsyncGen<T>): (...args: A) => GenFuture<T> {
  return (...args: A) => new GenFuture(body(...args));
}

/** An async block: a future made from a generator function that takes no arguments. */
export function asyncBlock<T>(body: () => AsyncGen<T>): GenFuture<T> {
  return new GenFuture(body());
}
