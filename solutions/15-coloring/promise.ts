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
 */
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import type { Context, Waker } from "#kata/03-waker";
import { blockOn } from "#kata/04-block-on";
import { Handle, type DriverHandle } from "#kata/07-current-thread";

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class PromiseFuture<T> extends FutureBase<T> {
  readonly #promise: PromiseLike<T>;
  #outcome: Outcome<T> | null = null;
  #subscribed = false;
  #waker: Waker | null = null;
  /** The driver whose event loop this future holds, while it does. */
  #held: DriverHandle | null = null;
  #done = false;

  constructor(promise: PromiseLike<T>) {
    super();
    this.#promise = promise;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new Error("a promise future polled after completion");
    if (!this.#subscribed) {
      this.#subscribed = true;
      this.#promise.then(
        (value) => this.#settle({ ok: true, value }),
        (error: unknown) => this.#settle({ ok: false, error }),
      );
      const driver = Handle.tryCurrent()?.driver ?? null;
      if (driver !== null) {
        driver.holdEventLoop();
        this.#held = driver;
      }
    }
    const outcome = this.#outcome;
    if (outcome === null) {
      if (this.#waker === null || !this.#waker.willWake(cx.waker)) {
        this.#waker?.drop();
        this.#waker = cx.waker.clone();
      }
      return Pending;
    }
    this.#done = true;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /** Dropped: the subscription stays (a promise cannot be unsubscribed) but wakes nobody; the event loop is let go. */
  [Symbol.dispose](): void {
    this.#done = true;
    this.#waker?.drop();
    this.#waker = null;
    this.#release();
  }

  #settle(outcome: Outcome<T>): void {
    this.#outcome = outcome;
    this.#release();
    const waker = this.#waker;
    this.#waker = null;
    waker?.wake();
  }

  #release(): void {
    const held = this.#held;
    this.#held = null;
    held?.releaseEventLoop();
  }
}

/** A future that completes when `promise` settles (its value, or its reason thrown). */
export function fromPromise<T>(promise: PromiseLike<T>): PromiseFuture<T> {
  return new PromiseFuture(promise);
}

/** Spawns `future` on `handle`'s runtime; the promise settles with the task's output or rejects with its JoinError. */
export function toPromise<T>(future: Future<T>, handle: Handle = Handle.current()): Promise<T> {
  return blockOn(handle.spawn(future));
}
