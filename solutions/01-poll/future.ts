/**
 * `Future<T>`: a computation that makes progress only when polled.
 *
 * Contract (as Rust's `core::future::Future`):
 * - `poll(cx)` advances as far as it can without blocking and returns the output, or `Pending`;
 * - before returning `Pending` the future has arranged for `cx.waker` (or a clone) to be woken when it can make
 *   progress again; the executor need not poll it before that;
 * - once it has returned its output it must not be polled again (doing so is a misuse; our futures throw);
 * - `[Symbol.dispose]()`, when present, is Rust's `Drop`: whoever abandons a future before it completes calls it
 *   exactly once, and the future releases what it holds (wakers, permits, registrations).
 *
 * JavaScript has no `.await` for our futures, so every future is also iterable: inside a generator-based async
 * function (chapter 02) `yield* future` suspends until the future is ready and evaluates to its output.
 */
import type { Context } from "#kata/03-waker";
import type { Poll } from "./poll.ts";

export interface Future<T> {
  poll(cx: Context): Poll<T>;
  /** `yield* future` inside an async generator function: yields the future itself and returns its output. */
  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown>;
  [Symbol.dispose]?(): void;
}

/** The output type of a future. */
export type Output<F> = F extends Future<infer T> ? T : never;

/**
 * The base class of the workbook's futures. It supplies the `yield*` bridge; subclasses supply `poll`.
 * The bridge yields the future to the driving executor (chapter 02's adapter), which polls it and sends the
 * output back, so `const v = yield* fut` has the type of `fut`'s output.
 */
export abstract class FutureBase<T> implements Future<T> {
  abstract poll(cx: Context): Poll<T>;

  [Symbol.iterator](): Iterator<Future<unknown>, T, unknown> {
    return new Await<T>(this);
  }
}

/**
 * What `yield* future` iterates: the first `next()` yields the future (`done: false`), the second receives its
 * output from the adapter and returns it (`done: true`); `throw(e)` throws `e` at the `yield*`.
 *
 * A generator method, `*[Symbol.iterator]() { return yield this; }`, says the same in one line, but each await
 * would then cost a generator object, its saved registers and two result objects. Every await goes through here,
 * so the iterator is one small object that is also its own result (`yield*` reads only `done` and `value`).
 */
class Await<T> {
  done = false;
  value: unknown;
  #yielded = false;

  constructor(future: Future<T>) {
    this.value = future;
  }

  next(output?: unknown): IteratorResult<Future<unknown>, T> {
    if (this.#yielded) {
      this.done = true;
      this.value = output;
    }
    this.#yielded = true;
    return this as unknown as IteratorResult<Future<unknown>, T>;
  }

  throw(error: unknown): never {
    throw error;
  }
}
