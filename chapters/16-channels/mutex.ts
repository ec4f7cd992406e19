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
 *   does nothing; using it afterwards throws "MutexGuard used after it was dropped".
 *
 * Why this and not a plain lock: a thread-blocking lock (`std::sync::Mutex`) held across an `.await` parks the
 * *thread* when a second task asks for it, and the task that holds it can never run again on that thread to
 * release it (seed 12.5). This lock parks the *task* instead.
 *
 * Given: `TryLockError`.
 */
import type { Future } from "#kata/01-poll";
import type { BatchSemaphore } from "./batch-semaphore.ts";
import { todo } from "#kit/todo";

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
  // Sketch: a `BatchSemaphore` of 1 permit, and a `Cell<T>` holding the value (shared with the guards).

  constructor(value: T) {
    todo("16-channels", "Mutex.constructor");
  }

  /** Waits for the lock (first come, first served) and completes with its guard. */
  lock(): Future<MutexGuard<T>> {
    return todo("16-channels", "Mutex.lock");
  }

  /** The guard now, or `TryLockError` if the lock is held or anyone is waiting for it. */
  tryLock(): MutexGuard<T> {
    return todo("16-channels", "Mutex.tryLock");
  }
}

/** Holds the lock; `[Symbol.dispose]()` (or the end of a `using` scope) unlocks it. */
export class MutexGuard<T> implements Disposable {
  constructor(semaphore: BatchSemaphore, cell: Cell<T>) {
    todo("16-channels", "MutexGuard.constructor");
  }

  get value(): T {
    return todo("16-channels", "MutexGuard.value");
  }

  set value(v: T) {
    todo("16-channels", "MutexGuard.value");
  }

  /** Unlocks: the oldest waiter, if any, gets the lock. */
  [Symbol.dispose](): void {
    todo("16-channels", "MutexGuard[Symbol.dispose]");
  }
}
