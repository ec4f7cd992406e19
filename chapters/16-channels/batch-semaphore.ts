/**
 * The batch semaphore (Tokio's `sync/batch_semaphore.rs`): the fair, asynchronous counter under `Semaphore`,
 * `Mutex` and the bounded `mpsc` channel.
 *
 * A pool of permits and a queue of waiters. `acquire(n)` is a future that completes once it holds `n` permits.
 *
 *     permits: 0            waiters (oldest at the back, served first)
 *                           front ─▶ [C wants 1] ─ [B wants 3, holds 1] ─▶ back
 *
 * - Strictly first in, first out. Released permits go to the waiter at the back (the oldest) until it holds all it
 *   asked for; only then to the next one; what is left over returns to the counter. A waiter that asks for many
 *   permits is served in part while it waits (a partial grant it keeps), and blocks everyone behind it.
 * - Nobody jumps the queue: while anyone waits the counter is 0 (every released permit went to a waiter), so
 *   neither a new `acquire` nor `tryAcquire` finds a permit to take.
 * - A dropped (`[Symbol.dispose]`) acquire leaves the queue and gives back what it had been granted, which goes to
 *   the next waiters. Permits granted to an acquire that never saw them (dropped before its next poll) go back too.
 * - `close()` fails every waiter and every later acquire with `AcquireError`; permits can still be released.
 * - `Acquire.poll` spends a unit of the task's cooperative budget, and gives it back when it returns `Pending`.
 *
 * Invariants: while the queue is not empty, `availablePermits()` is 0; a waiter is in the queue exactly while it
 * still needs permits and has not been dropped or failed; every permit is in the counter, granted to a waiter,
 * or held by whoever acquired it.
 *
 * Given: `MAX_PERMITS`, the two error classes and `checkPermits`. The rest is yours.
 */
import type { Context, Waker } from "#kata/03-waker";
import { FutureBase, type Poll } from "#kata/01-poll";
import { todo } from "#kit/todo";

/**
 * The most permits a semaphore may hold. Tokio's is `usize::MAX >> 3` (three bits of the word are the flag and
 * spare); ours is the largest integer a JavaScript number represents exactly.
 */
export const MAX_PERMITS = Number.MAX_SAFE_INTEGER;

/** `acquire` on a closed semaphore (Tokio's `AcquireError`). */
export class AcquireError extends Error {
  override readonly name = "AcquireError";
  readonly kind = "closed" as const;

  constructor() {
    super("semaphore closed");
  }
}

export type TryAcquireErrorKind = "closed" | "noPermits";

/** `tryAcquire` failed: the semaphore is closed, or not enough permits are available right now. */
export class TryAcquireError extends Error {
  override readonly name = "TryAcquireError";

  private constructor(readonly kind: TryAcquireErrorKind) {
    super(kind === "closed" ? "semaphore closed" : "no permits available");
  }

  static closed(): TryAcquireError {
    return new TryAcquireError("closed");
  }

  static noPermits(): TryAcquireError {
    return new TryAcquireError("noPermits");
  }

  isClosed(): boolean {
    return this.kind === "closed";
  }

  isNoPermits(): boolean {
    return this.kind === "noPermits";
  }
}

/**
 * Throws unless `n` is a whole number of permits a semaphore may hold (Tokio's assert, quoted). The public
 * constructors and entry points check their arguments; `release` and `tryAcquire` may trust theirs (internal
 * callers pass small constants on hot paths).
 */
export function checkPermits(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a number of permits must be a whole number >= 0, got ${n}`);
  if (n > MAX_PERMITS) throw new Error(`a semaphore may not have more than MAX_PERMITS permits (${MAX_PERMITS})`);
}

export class BatchSemaphore {
  // Sketch: the permit counter, a closed flag, and the waiters: a `LinkedList<Acquire>` (from
  // `#kata/17-broadcast-watch`, given code) pushed at the front and served from the back.

  /** A semaphore holding `permits` (checked with `checkPermits`). */
  constructor(permits: number) {
    todo("16-channels", "BatchSemaphore.constructor");
  }

  /** Permits in the counter right now (0 while anyone waits). */
  availablePermits(): number {
    return todo("16-channels", "BatchSemaphore.availablePermits");
  }

  isClosed(): boolean {
    return todo("16-channels", "BatchSemaphore.isClosed");
  }

  /**
   * Adds `added` permits: to the waiters first, oldest first, each until it holds all it asked for (only then is
   * it unlinked and its waker woken, once); what is left when nobody waits goes to the counter. `release(0)` does
   * nothing. Adding past `MAX_PERMITS` throws
   * "number of added permits (N) would overflow MAX_PERMITS (M)".
   */
  release(added: number): void {
    todo("16-channels", "BatchSemaphore.release");
  }

  /** Fails every waiter (each is unlinked and woken, and completes with `AcquireError`) and every later acquire. */
  close(): void {
    todo("16-channels", "BatchSemaphore.close");
  }

  /**
   * Takes `n` permits now, or throws `TryAcquireError`: `closed`, or `noPermits` when the counter holds fewer
   * than `n` (which it always does while anyone waits: no barging).
   */
  tryAcquire(n: number): void {
    todo("16-channels", "BatchSemaphore.tryAcquire");
  }

  /** A future that completes once it holds `n` permits (throws `AcquireError` if the semaphore closes first). */
  acquire(n: number): Acquire {
    return todo("16-channels", "BatchSemaphore.acquire");
  }

  /** Removes up to `n` permits from the counter for good; returns how many were removed. */
  forgetPermits(n: number): number {
    return todo("16-channels", "BatchSemaphore.forgetPermits");
  }

  /**
   * The body of `Acquire.poll` (Tokio's `poll_acquire`): true once `node` holds all its permits; false after
   * queueing it (or keeping it queued) with the waker of `cx`; throws `AcquireError` when closed.
   *
   * Not queued yet: take all `node.numPermits` if the counter has them; else take what there is (a partial
   * grant), queue the node at the front and wait. Queued: ready once `release` has granted the rest. Either way,
   * before returning false store a clone of `cx.waker` in `node.waker`, unless the stored one `willWake` it.
   */
  pollAcquire(cx: Context, node: Acquire): boolean {
    return todo("16-channels", "BatchSemaphore.pollAcquire");
  }

  /** An acquire gives up (dropped, or failed by `close`): leave the queue, drop its waker, give back its grant. */
  cancelAcquire(node: Acquire): void {
    todo("16-channels", "BatchSemaphore.cancelAcquire");
  }
}

/**
 * The future of `BatchSemaphore.acquire(n)`: also the waiter's node in the queue (its links and fields belong to
 * the semaphore). Completes with nothing once it holds its permits; from then on they are the caller's, to be
 * given back with `release`.
 */
export class Acquire extends FutureBase<void> {
  prev: Acquire | null = null;
  next: Acquire | null = null;
  /** Permits still to be granted (Tokio's `Waiter::state`). */
  needed: number;
  /** In the queue, or granted permits by it that this future has not yet seen. */
  queued = false;
  waker: Waker | null = null;

  constructor(
    readonly semaphore: BatchSemaphore,
    readonly numPermits: number,
  ) {
    super();
    this.needed = numPermits;
  }

  /**
   * Spends a unit of budget (`pollProceed`), then asks the semaphore (`pollAcquire`). Pending: give the unit back
   * (`restore`). Closed: the grant goes back (`cancelAcquire`) and the `AcquireError` propagates. Polled after it
   * completed: throws "`Acquire` polled after completion".
   */
  poll(cx: Context): Poll<void> {
    return todo("16-channels", "Acquire.poll");
  }

  /** Removes and returns the stored waker. */
  takeWaker(): Waker | null {
    return todo("16-channels", "Acquire.takeWaker");
  }

  /** Dropped before completion: leaves the queue and gives back any partial grant. Does nothing once completed. */
  [Symbol.dispose](): void {
    todo("16-channels", "Acquire[Symbol.dispose]");
  }
}
