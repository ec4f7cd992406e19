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
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { BatchSemaphore, MAX_PERMITS, checkPermits, type Acquire } from "./batch-semaphore.ts";

export class Semaphore {
  static readonly MAX_PERMITS = MAX_PERMITS;
  readonly #ll: BatchSemaphore;

  constructor(permits: number) {
    this.#ll = new BatchSemaphore(permits);
  }

  availablePermits(): number {
    return this.#ll.availablePermits();
  }

  /** Adds permits (to the waiters first, oldest first). */
  addPermits(n: number): void {
    checkPermits(n);
    this.#ll.release(n);
  }

  /** Removes up to `n` available permits for good; returns how many. */
  forgetPermits(n: number): number {
    return this.#ll.forgetPermits(n);
  }

  acquire(): Future<SemaphorePermit> {
    return new AcquirePermit(this, this.#ll.acquire(1), 1);
  }

  acquireMany(n: number): Future<SemaphorePermit> {
    return new AcquirePermit(this, this.#ll.acquire(n), n);
  }

  tryAcquire(): SemaphorePermit {
    return this.tryAcquireMany(1);
  }

  tryAcquireMany(n: number): SemaphorePermit {
    checkPermits(n);
    this.#ll.tryAcquire(n);
    return new SemaphorePermit(this, n);
  }

  /** Fails every waiting and later acquire; permits already held stay valid. */
  close(): void {
    this.#ll.close();
  }

  isClosed(): boolean {
    return this.#ll.isClosed();
  }
}

class AcquirePermit extends FutureBase<SemaphorePermit> {
  constructor(
    readonly semaphore: Semaphore,
    readonly inner: Acquire,
    readonly permits: number,
  ) {
    super();
  }

  poll(cx: Context): Poll<SemaphorePermit> {
    if (this.inner.poll(cx) === Pending) return Pending;
    return new SemaphorePermit(this.semaphore, this.permits);
  }

  [Symbol.dispose](): void {
    this.inner[Symbol.dispose]();
  }
}

/** Permits acquired from a `Semaphore`; disposing the permit gives them back. */
export class SemaphorePermit implements Disposable {
  #permits: number;

  constructor(
    readonly semaphore: Semaphore,
    permits: number,
  ) {
    this.#permits = permits;
  }

  numPermits(): number {
    return this.#permits;
  }

  /** Keeps the permits out of the semaphore for good: disposing the permit then gives nothing back. */
  forget(): void {
    this.#permits = 0;
  }

  /** Moves the permits of `other` (same semaphore) into this one. */
  merge(other: SemaphorePermit): void {
    if (other.semaphore !== this.semaphore) throw new Error("merging permits from different semaphore instances");
    this.#permits += other.#permits;
    other.#permits = 0;
  }

  /** Splits `n` permits off into a new permit; `undefined` if this one holds fewer than `n`. */
  split(n: number): SemaphorePermit | undefined {
    if (!Number.isInteger(n) || n < 0 || n > this.#permits) return undefined;
    this.#permits -= n;
    return new SemaphorePermit(this.semaphore, n);
  }

  [Symbol.dispose](): void {
    const n = this.#permits;
    this.#permits = 0;
    this.semaphore.addPermits(n);
  }
}
