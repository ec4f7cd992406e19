/**
 * JavaScript's own two colors: a `Promise` as one of our futures, and one of our futures as a `Promise`.
 *
 *     const body = yield* fromPromise(fetch(url).then((r) => r.text()));     // a promise, awaited in a task
 *     const n = await toPromise(countWords(body), rt.handle());               // a future, awaited in async JS
 *
 * `fromPromise(p)`: a future that completes when `p` settles: with its value, or by throwing its reason. On the
 * first poll it subscribes to `p` once; the callback stores the outcome and wakes the last waker it was given. A
 * promise settles only when Node's event loop runs its callbacks, and a runtime that always has tasks to run may
 * never let it (it yields to Node only when it parks, or when a resource asks it to); so while the promise is
 * pending, the future holds the runtime's event loop (`driver.holdEventLoop()`) and releases it once the promise
 * settled, or when the future is dropped. Outside a runtime there is nothing to hold.
 *
 * `toPromise(f, handle)`: spawns `f` on the runtime of `handle` (the current one by default) and returns a promise
 * that settles with the task's outcome: its output, or a rejection with its `JoinError` (it threw: `panic`; it was
 * aborted or the runtime shut down: `cancelled`). Waiting for the `JoinHandle` is chapter 04's `blockOn`: a parker
 * woken by the task's completion. The runtime must be driven (a `blockOn` under way, or the multi-thread flavour)
 * for the task to run.
 *
 * Invariants: a `fromPromise` future subscribes once and holds the event loop at most once, released exactly once;
 * it completes on a poll after the promise settled, never before.
 *
 * Task 3 of the lesson.
 */
import { FutureBase, type Future, type Poll } from "#kata/01-poll";
import type { Context } from "#kata/03-waker";
import { Handle } from "#kata/07-current-thread";
import { todo } from "#kit/todo";

export class PromiseFuture<T> extends FutureBase<T> {
  // Sketch: the promise, its outcome once settled, a "subscribed" flag, the stored waker, the `DriverHandle` whose
  // event loop is held (null when none), a "done" flag.

  constructor(promise: PromiseLike<T>) {
    super();
    todo("15-coloring", "PromiseFuture.constructor");
  }

  /**
   * First poll: subscribe (`promise.then(onValue, onError)`, once) and, inside a runtime (`Handle.tryCurrent()`),
   * `driver.holdEventLoop()`. Settled: complete (the value, or throw the reason). Pending: keep a clone of the waker
   * (replace it only if it would not wake the same task). Polling again after completion throws.
   * The callbacks store the outcome, release the event loop, and wake the stored waker (taking it).
   */
  poll(cx: Context): Poll<T> {
    return todo("15-coloring", "PromiseFuture.poll");
  }

  /** Dropped: no more wakes (drop the stored waker); release the event loop if still held. */
  [Symbol.dispose](): void {
    todo("15-coloring", "PromiseFuture[Symbol.dispose]");
  }
}

/** A future that completes when `promise` settles (its value, or its reason thrown). */
export function fromPromise<T>(promise: PromiseLike<T>): PromiseFuture<T> {
  return todo("15-coloring", "fromPromise");
}

/**
 * Spawns `future` on `handle`'s runtime (by default the current one: outside a runtime that throws); the promise settles
 * with the task's output or rejects with its JoinError. Chapter 04's `blockOn` waits for the `JoinHandle`.
 */
export function toPromise<T>(future: Future<T>, handle: Handle = Handle.current()): Promise<T> {
  return todo("15-coloring", "toPromise");
}
