/**
 * `Semaphore` (Tokio's `sync/semaphore.rs`): the public face of the batch semaphore, with permits you hold.
 *
 *     const sem = new Semaphore(3);
 *     using permit = yield* sem.acquire();     // waits in line; released when `permit` goes out of scope
 *
 * - `acquire()`/`acquireMany(n)` wait in the batch semaphore's FIFO queue and complete with a `SemaphorePermit`;
 *   they throw `AcquireError` once the semaphore is closed. `tryAcquire()`/`tryAcquireMany(n)` never wait and
 *   throw `TryAcquireError` (`noPermits` while anyone waits, even if permits were just released).
 * - A permit gives its permits back when disposed (`using`), exactly once; `forget()` keeps them out for good.
 * - `addPermits`, `forgetPermits`, `close`, `isClosed`, `availablePermits` act on the semaphore itself.
 *
 * Rust distinguishes `acquire` (a permit borrowing the semaphore) from `acquire_owned` (a permit holding an `Arc`);
 * JavaScript has no lifetimes, so every permit here behaves like an owned one.
 */
import type { Future } from "#kata/01-poll";
import { MAX_PERMITS } from "./batch-semaphore.ts";
import { todo } from "#kit/todo";

export class Semaphore {
  static readonly MAX_PERMITS = MAX_PERMITS;
  // Sketch: the `BatchSemaphore` underneath.

  constructor(permits: number) {
    todo("16-channels", "Semaphore.constructor");
  }

  availablePermits(): number {
    return todo("16-channels", "Semaphore.availablePermits");
  }

  /** Adds permits (to the waiters first, oldest first). */
  addPermits(n: number): void {
    todo("16-channels", "Semaphore.addPermits");
  }

  /** Removes up to `n` available permits for good; returns how many. */
  forgetPermits(n: number): number {
    return todo("16-channels", "Semaphore.forgetPermits");
  }

  /** Waits for one permit. The future's `[Symbol.dispose]` drops the underlying acquire (leaving the queue). */
  acquire(): Future<SemaphorePermit> {
    return todo("16-channels", "Semaphore.acquire");
  }

  /** Waits for `n` permits, as one request (it may be served in part while it waits, and blocks those behind). */
  acquireMany(n: number): Future<SemaphorePermit> {
    return todo("16-channels", "Semaphore.acquireMany");
  }

  tryAcquire(): SemaphorePermit {
    return todo("16-channels", "Semaphore.tryAcquire");
  }

  tryAcquireMany(n: number): SemaphorePermit {
    return todo("16-channels", "Semaphore.tryAcquireMany");
  }

  /** Fails every waiting and later acquire; permits already held stay valid. */
  close(): void {
    todo("16-channels", "Semaphore.close");
  }

  isClosed(): boolean {
    return todo("16-channels", "Semaphore.isClosed");
  }
}

/** Permits acquired from a `Semaphore`; disposing the permit gives them back. */
export class SemaphorePermit implements Disposable {
  constructor(
    readonly semaphore: Semaphore,
    permits: number,
  ) {
    todo("16-channels", "SemaphorePermit.constructor");
  }

  numPermits(): number {
    return todo("16-channels", "SemaphorePermit.numPermits");
  }

  /** Keeps the permits out of the semaphore for good: disposing the permit then gives nothing back. */
  forget(): void {
    todo("16-channels", "SemaphorePermit.forget");
  }

  /**
   * Moves the permits of `other` (same semaphore) into this one; a permit of another semaphore throws
   * "merging permits from different semaphore instances".
   */
  merge(other: SemaphorePermit): void {
    todo("16-channels", "SemaphorePermit.merge");
  }

  /** Splits `n` permits off into a new permit; `undefined` if this one holds fewer than `n`. */
  split(n: number): SemaphorePermit | undefined {
    return todo("16-channels", "SemaphorePermit.split");
  }

  /** Gives the permits back (once: disposing again gives nothing). */
  [Symbol.dispose](): void {
    todo("16-channels", "SemaphorePermit[Symbol.dispose]");
  }
}
