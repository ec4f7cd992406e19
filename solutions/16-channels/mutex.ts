/**
 * The async `Mutex` (Tokio's `sync/mutex.rs`): a value behind a batch semaphore of one permit.
 *
 *     const m = new Mutex<number[]>([]);
 *     using guard = yield* m.lock();   // waits in line, without blocking the thread
 *     guard.value.push(1);
 *     yield* sleep(10);                // holding the lock across a suspension point is fine
 *                                      // ...and the guard's dispose unlocks at the end of the scope
 *
 * - Fair: `lock()` waits in the semaphore's FIFO queue; the lock passes to the oldest waiter on unlock, and
 *   `tryLock()` fails (`TryLockError`) while the lock is held or anyone waits. A dropped `lock()` future leaves the
 *   queue. No poisoning: a task that throws while holding the guard unlocks it when the guard is disposed.
 * - The guard gives access to the value (`guard.value`, read and write) until it is disposed; disposing it again
 *   does nothing; using it afterwards throws.
 *
 * Why this and not a plain lock: a thread-blocking lock (`std::sync::Mutex`) held across an `.await` parks the
 * *thread* when a second task asks for it, and the task that holds it can never run again on that thread to
 * release it (seed 12.5). This lock parks the *task* instead.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { BatchSemaphore, TryAcquireError, type Acquire } from "./batch-semaphore.ts";

/** `tryLock` found the lock held or contended (Tokio's `TryLockError`). */
export class TryLockError extends Error {
  override readonly name = "TryLockError";
  readonly kind = "wouldBlock" as const;

  constructor() {
    super("operation would block");
  }
}

/** The value's cell, shared by the mutex and its guards. */
interface Cell<T> {
  value: T;
}

export class Mutex<T> {
  readonly #s = new BatchSemaphore(1);
  readonly #cell: Cell<T>;

  constructor(value: T) {
    this.#cell = { value };
  }

  /** Waits for the lock (first come, first served) and completes with its guard. */
  lock(): Future<MutexGuard<T>> {
    return new Lock(this.#s.acquire(1), this.#s, this.#cell);
  }

  /** The guard now, or `TryLockError` if the lock is held or anyone is waiting for it. */
  tryLock(): MutexGuard<T> {
    try {
      this.#s.tryAcquire(1);
    } catch (e) {
      if (e instanceof TryAcquireError) throw new TryLockError();
      throw e;
    }
    return new MutexGuard(this.#s, this.#cell);
  }
}

class Lock<T> extends FutureBase<MutexGuard<T>> {
  constructor(
    readonly acquire: Acquire,
    readonly semaphore: BatchSemaphore,
    readonly cell: Cell<T>,
  ) {
    super();
  }

  poll(cx: Context): Poll<MutexGuard<T>> {
    // The mutex is never closed, so the acquire cannot fail.
    if (this.acquire.poll(cx) === Pending) return Pending;
    return new MutexGuard(this.semaphore, this.cell);
  }

  [Symbol.dispose](): void {
    this.acquire[Symbol.dispose]();
  }
}

/** Holds the lock; `[Symbol.dispose]()` (or the end of a `using` scope) unlocks it. */
export class MutexGuard<T> implements Disposable {
  #semaphore: BatchSemaphore | null;
  readonly #cell: Cell<T>;

  constructor(semaphore: BatchSemaphore, cell: Cell<T>) {
    this.#semaphore = semaphore;
    this.#cell = cell;
  }

  get value(): T {
    this.#live();
    return this.#cell.value;
  }

  set value(v: T) {
    this.#live();
    this.#cell.value = v;
  }

  /** Unlocks: the oldest waiter, if any, gets the lock. */
  [Symbol.dispose](): void {
    const s = this.#semaphore;
    if (s === null) return;
    this.#semaphore = null;
    s.release(1);
  }

  #live(): void {
    if (this.#semaphore === null) throw new Error("MutexGuard used after it was dropped");
  }
}
