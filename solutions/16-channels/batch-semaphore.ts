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
 * Tokio keeps `permits << 1 | CLOSED` in one atomic word so that one compare-and-swap reads both, and guards the
 * queue with a lock. On JavaScript's single thread two plain fields do, and no lock is needed; what remains of the
 * concurrency is re-entrancy: a waker woken here may run code that calls back into the semaphore, so a waiter is
 * unlinked (and its state made consistent) before its waker is woken.
 */
import type { Context, Waker } from "#kata/03-waker";
import { FutureBase, Pending, type Poll } from "#kata/01-poll";
import { pollProceed, restore } from "#kata/14-blocking";
import { LinkedList } from "#kata/17-broadcast-watch";

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
 * constructors and entry points check their arguments; `release` and `tryAcquire` trust theirs (internal callers
 * pass small constants on hot paths) and assert only what Tokio asserts.
 */
export function checkPermits(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a number of permits must be a whole number >= 0, got ${n}`);
  if (n > MAX_PERMITS) throw new Error(`a semaphore may not have more than MAX_PERMITS permits (${MAX_PERMITS})`);
}

export class BatchSemaphore {
  #permits: number;
  #closed = false;
  /** Waiting acquires: pushed at the front, served from the back. */
  readonly #waiters = new LinkedList<Acquire>();

  constructor(permits: number) {
    checkPermits(permits);
    this.#permits = permits;
  }

  /** Permits in the counter right now (0 while anyone waits). */
  availablePermits(): number {
    return this.#permits;
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /** Adds `added` permits: to the waiters first, oldest first, then to the counter. */
  release(added: number): void {
    if (added === 0) return;
    if (this.#waiters.isEmpty() && this.#permits + added <= MAX_PERMITS) {
      this.#permits += added; // nobody waits: the common case, kept small enough to inline
      return;
    }
    this.#addPermits(added);
  }

  /** Fails every waiter (each is woken and completes with `AcquireError`) and every later acquire. */
  close(): void {
    this.#closed = true;
    for (let w = this.#waiters.popBack(); w !== null; w = this.#waiters.popBack()) w.takeWaker()?.wake();
  }

  /**
   * Takes `n` permits now, or throws `TryAcquireError`: `closed`, or `noPermits` when the counter holds fewer
   * than `n` (which it always does while anyone waits: no barging).
   */
  tryAcquire(n: number): void {
    checkPermits(n);
    if (this.#closed) throw TryAcquireError.closed();
    if (this.#permits < n) throw TryAcquireError.noPermits();
    this.#permits -= n;
  }

  /** A future that completes once it holds `n` permits (throws `AcquireError` if the semaphore closes first). */
  acquire(n: number): Acquire {
    checkPermits(n);
    return new Acquire(this, n);
  }

  /** Removes up to `n` permits from the counter for good; returns how many were removed. */
  forgetPermits(n: number): number {
    const taken = Math.min(this.#permits, n);
    this.#permits -= taken;
    return taken;
  }

  /**
   * The body of `Acquire.poll` (Tokio's `poll_acquire`): true once `node` holds all its permits; false after
   * queueing it (or keeping it queued) with the waker of `cx`; throws `AcquireError` when closed.
   */
  pollAcquire(cx: Context, node: Acquire): boolean {
    if (this.#closed) throw new AcquireError();
    if (!node.queued) {
      const wanted = node.numPermits;
      if (this.#permits >= wanted) {
        this.#permits -= wanted;
        node.needed = 0;
        return true;
      }
      // Take what there is (a partial grant) and wait for the rest at the front of the queue.
      node.needed = wanted - this.#permits;
      this.#permits = 0;
      node.queued = true;
      this.#waiters.pushFront(node);
    } else if (node.needed === 0) {
      // `release` granted the rest and took the node out of the queue.
      return true;
    }
    if (node.waker === null || !node.waker.willWake(cx.waker)) {
      const old = node.waker;
      node.waker = cx.waker.clone();
      old?.drop();
    }
    return false;
  }

  /** An acquire gives up (dropped, or failed by `close`): leave the queue, give back what it was granted. */
  cancelAcquire(node: Acquire): void {
    this.#waiters.remove(node);
    node.queued = false;
    node.takeWaker()?.drop();
    const granted = node.numPermits - node.needed;
    node.needed = node.numPermits;
    if (granted > 0) this.#addPermits(granted);
  }

  /** Tokio's `add_permits_locked`: serve the oldest waiters in order, the rest to the counter. */
  #addPermits(added: number): void {
    let rem = added;
    while (rem > 0) {
      const waiter = this.#waiters.last();
      if (waiter === null) {
        if (this.#permits + rem > MAX_PERMITS) {
          throw new Error(`number of added permits (${rem}) would overflow MAX_PERMITS (${MAX_PERMITS})`);
        }
        this.#permits += rem;
        return;
      }
      const assign = Math.min(waiter.needed, rem);
      waiter.needed -= assign;
      rem -= assign;
      if (waiter.needed > 0) return; // the oldest still waits: nobody behind it may be served
      this.#waiters.popBack();
      waiter.takeWaker()?.wake();
    }
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
  #done = false;

  constructor(
    readonly semaphore: BatchSemaphore,
    readonly numPermits: number,
  ) {
    super();
    this.needed = numPermits;
  }

  poll(cx: Context): Poll<void> {
    if (this.#done) throw new Error("`Acquire` polled after completion");
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    let ready: boolean;
    try {
      ready = this.semaphore.pollAcquire(cx, this);
    } catch (e) {
      // Closed: whatever had been granted goes back.
      this.#done = true;
      this.semaphore.cancelAcquire(this);
      throw e;
    }
    if (!ready) {
      restore(coop);
      return Pending;
    }
    this.#done = true;
    this.queued = false;
    return undefined;
  }

  /** Removes and returns the stored waker. */
  takeWaker(): Waker | null {
    const w = this.waker;
    this.waker = null;
    return w;
  }

  /** Dropped before completion: leaves the queue and gives back any partial grant. */
  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#done = true;
    if (this.queued) this.semaphore.cancelAcquire(this);
  }
}
