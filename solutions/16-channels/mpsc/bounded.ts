/**
 * The bounded channel (Tokio's `sync/mpsc/bounded.rs`): senders wait when `buffer` slots are in use.
 *
 *     const [tx, rx] = mpsc.channel<string>(32);
 *     yield* tx.send("hello");                 // waits (in line) while 32 slots are taken
 *     const msg = yield* rx.recv();            // undefined once every sender is gone and the queue is drained
 *
 * Capacity is a batch semaphore of `buffer` permits. A send takes a permit before it queues its message, and the
 * permit comes back when the receiver takes the message out, so the capacity covers queued messages *and*
 * reservations not yet used (`reserve()` gives a `Permit`: a slot held for a message you will send later, which
 * returns the slot if it is dropped unused).
 *
 * - `send(v)`: a future; waits for a permit in the semaphore's FIFO queue, then queues `v`. Throws `SendError`
 *   (with `v`) if the receiver is gone or closed, also when that happens while it waits. Not cancel safe: a send
 *   dropped while it waits loses its message and its place in line.
 * - `trySend(v)`: now or never: `TrySendError` `full` (no permit, including when others are waiting) or `closed`.
 * - The receiver's `recv()` is cancel safe; `close()` stops the senders but lets the receiver drain the queue; it
 *   then reads `undefined` once no permit is still out (a reservation could still send).
 *
 * JavaScript has no borrow checker: Rust's `Permit<'_>` borrows its `Sender`, so the channel cannot close under it.
 * Here a `Permit` counts as a sender (as Rust's `OwnedPermit` does) until it sends or is dropped.
 */
import type { Context } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { Acquire, AcquireError, BatchSemaphore, TryAcquireError } from "../batch-semaphore.ts";
import { Chan, Rx, Tx, type ChanSemaphore } from "./chan.ts";
import { SendError, TrySendError } from "./error.ts";

/** The bounded channel's capacity: a batch semaphore and its size (Tokio's `bounded::Semaphore`). */
export class BoundedSemaphore implements ChanSemaphore {
  constructor(
    readonly semaphore: BatchSemaphore,
    readonly bound: number,
  ) {}

  /** Every permit is back: nothing queued, nothing reserved. */
  isIdle(): boolean {
    return this.semaphore.availablePermits() === this.bound;
  }

  addPermit(): void {
    this.semaphore.release(1);
  }

  close(): void {
    this.semaphore.close();
  }

  isClosed(): boolean {
    return this.semaphore.isClosed();
  }
}

type BoundedChan<T> = Chan<T, BoundedSemaphore>;

/** A bounded channel of `buffer` slots (`buffer` > 0). */
export function channel<T>(buffer: number): [Sender<T>, Receiver<T>] {
  if (!Number.isInteger(buffer) || buffer <= 0) {
    throw new RangeError(`mpsc bounded channel requires buffer > 0, got ${buffer}`);
  }
  // The queue starts at the buffer's size, up to 1024 slots, and grows past that if it must: a buffer of 2^32 (Tokio
  // takes any up to MAX_PERMITS) would otherwise be an array no engine can allocate.
  const capacity = Math.min(buffer, 1024);
  const chan: BoundedChan<T> = new Chan(new BoundedSemaphore(new BatchSemaphore(buffer), buffer), capacity);
  return [new Sender(chan), new Receiver(chan)];
}

/** After a reservation gives up: if that was the last capacity in use of a closed channel, the receiver ends. */
function wakeReceiverIfDone(chan: BoundedChan<unknown>): void {
  const sem = chan.semaphore;
  if (sem.isClosed() && sem.isIdle()) chan.wakeRx();
}

export class Sender<T> extends Tx<T, BoundedSemaphore> {
  /** Waits for a slot (first come, first served) and queues `value`; throws `SendError` if the receiver is gone. */
  send(value: T): Future<void> {
    return new Send(this.chan, value);
  }

  /** Queues `value` now, or throws `TrySendError`: `full` if no slot is free, `closed` if the receiver is gone. */
  trySend(value: T): void {
    const chan = this.chan;
    try {
      chan.semaphore.semaphore.tryAcquire(1);
    } catch (e) {
      throw toTrySendError(e, value);
    }
    chan.send(value);
  }

  /** Waits for a slot and holds it: the `Permit` sends into it later, or gives it back if dropped. */
  reserve(): Future<Permit<T>> {
    const chan = this.chan;
    return new Reserve(chan, chan.semaphore.semaphore.acquire(1));
  }

  /** A slot now, or `TrySendError` (`full`/`closed`, with no value). */
  tryReserve(): Permit<T> {
    const chan = this.chan;
    try {
      chan.semaphore.semaphore.tryAcquire(1);
    } catch (e) {
      throw toTrySendError(e, undefined);
    }
    return new Permit(chan);
  }

  /** Free slots right now. */
  capacity(): number {
    return this.chan.semaphore.semaphore.availablePermits();
  }

  maxCapacity(): number {
    return this.chan.semaphore.bound;
  }

  clone(): Sender<T> {
    const chan = this.chan;
    chan.incTxCount();
    return new Sender(chan);
  }
}

function toTrySendError<V>(e: unknown, value: V): unknown {
  if (!(e instanceof TryAcquireError)) return e;
  return e.isClosed() ? TrySendError.closed(value) : TrySendError.full(value);
}

/**
 * `Sender.send`: the message travels inside the future until a slot is granted. The future is its own acquire (one
 * object per send, not two): the waiter node in the semaphore's queue.
 */
class Send<T> extends Acquire {
  #value: T | undefined;
  #done = false;

  constructor(
    readonly chan: BoundedChan<T>,
    value: T,
  ) {
    super(chan.semaphore.semaphore, 1);
    this.#value = value;
  }

  override poll(cx: Context): Poll<void> {
    if (this.#done) throw new Error("`Send` polled after completion");
    let out: Poll<void>;
    try {
      out = super.poll(cx);
    } catch (e) {
      this.#done = true;
      if (!(e instanceof AcquireError)) throw e;
      wakeReceiverIfDone(this.chan);
      throw new SendError(this.#take());
    }
    if (out === Pending) return Pending;
    this.#done = true;
    this.chan.send(this.#take());
    return undefined;
  }

  /** Dropped while waiting: the message is lost, and the place in line with it. */
  override [Symbol.dispose](): void {
    if (this.#done) return;
    this.#done = true;
    this.#value = undefined;
    super[Symbol.dispose]();
    wakeReceiverIfDone(this.chan);
  }

  #take(): T {
    const v = this.#value as T;
    this.#value = undefined;
    return v;
  }
}

class Reserve<T> extends FutureBase<Permit<T>> {
  #done = false;

  constructor(
    readonly chan: BoundedChan<T>,
    readonly acquire: Acquire,
  ) {
    super();
  }

  poll(cx: Context): Poll<Permit<T>> {
    if (this.#done) throw new Error("`Reserve` polled after completion");
    let out: Poll<void>;
    try {
      out = this.acquire.poll(cx);
    } catch (e) {
      this.#done = true;
      if (!(e instanceof AcquireError)) throw e;
      wakeReceiverIfDone(this.chan);
      throw new SendError(undefined);
    }
    if (out === Pending) return Pending;
    this.#done = true;
    return new Permit(this.chan);
  }

  [Symbol.dispose](): void {
    if (this.#done) return;
    this.#done = true;
    this.acquire[Symbol.dispose]();
    wakeReceiverIfDone(this.chan);
  }
}

/** A reserved slot: `send(v)` fills it (never waits, never fails); dropping it unused gives the slot back. */
export class Permit<T> implements Disposable {
  #chan: BoundedChan<T> | null;

  constructor(chan: BoundedChan<T>) {
    chan.incTxCount();
    this.#chan = chan;
  }

  send(value: T): void {
    const chan = this.#chan;
    if (chan === null) throw new Error("Permit used after it was consumed by send() or dropped");
    this.#chan = null;
    chan.send(value);
    chan.decTxCount();
  }

  [Symbol.dispose](): void {
    const chan = this.#chan;
    if (chan === null) return;
    this.#chan = null;
    chan.semaphore.addPermit();
    wakeReceiverIfDone(chan);
    chan.decTxCount();
  }
}

export class Receiver<T> extends Rx<T, BoundedSemaphore> {
  /** Free slots right now. */
  capacity(): number {
    return this.chan.semaphore.semaphore.availablePermits();
  }

  maxCapacity(): number {
    return this.chan.semaphore.bound;
  }
}
