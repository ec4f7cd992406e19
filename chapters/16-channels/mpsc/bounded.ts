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
 * - Whenever a reservation gives up (a `send` or `reserve` dropped or failed, a `Permit` dropped unused) and the
 *   channel is closed with no capacity in use any more, wake the receiver: it may now end.
 *
 * JavaScript has no borrow checker: Rust's `Permit<'_>` borrows its `Sender`, so the channel cannot close under it.
 * Here a `Permit` counts as a sender (as Rust's `OwnedPermit` does) until it sends or is dropped.
 *
 * Given: `channel()`.
 */
import type { Future } from "#kata/01-poll";
import { BatchSemaphore } from "../batch-semaphore.ts";
import { Chan, Rx, Tx, type ChanSemaphore } from "./chan.ts";
import { todo } from "#kit/todo";

/** The bounded channel's capacity: a batch semaphore and its size (Tokio's `bounded::Semaphore`). */
export class BoundedSemaphore implements ChanSemaphore {
  constructor(
    readonly semaphore: BatchSemaphore,
    readonly bound: number,
  ) {}

  /** Every permit is back: nothing queued, nothing reserved. */
  isIdle(): boolean {
    return todo("16-channels", "mpsc.BoundedSemaphore.isIdle");
  }

  addPermit(): void {
    todo("16-channels", "mpsc.BoundedSemaphore.addPermit");
  }

  close(): void {
    todo("16-channels", "mpsc.BoundedSemaphore.close");
  }

  isClosed(): boolean {
    return todo("16-channels", "mpsc.BoundedSemaphore.isClosed");
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

export class Sender<T> extends Tx<T, BoundedSemaphore> {
  /**
   * Waits for a slot (first come, first served) and queues `value`; throws `SendError` (with `value`) if the
   * receiver is gone. The future carries the message until a slot is granted; dropped before that, the message is
   * lost and the place in line given up. Polled after it completed, it throws "`Send` polled after completion".
   */
  send(value: T): Future<void> {
    return todo("16-channels", "mpsc.Sender.send");
  }

  /** Queues `value` now, or throws `TrySendError`: `full` if no slot is free, `closed` if the receiver is gone. */
  trySend(value: T): void {
    todo("16-channels", "mpsc.Sender.trySend");
  }

  /** Waits for a slot and holds it: the `Permit` sends into it later, or gives it back if dropped. */
  reserve(): Future<Permit<T>> {
    return todo("16-channels", "mpsc.Sender.reserve");
  }

  /** A slot now, or `TrySendError` (`full`/`closed`, with `undefined` as its value). */
  tryReserve(): Permit<T> {
    return todo("16-channels", "mpsc.Sender.tryReserve");
  }

  /** Free slots right now. */
  capacity(): number {
    return todo("16-channels", "mpsc.Sender.capacity");
  }

  maxCapacity(): number {
    return todo("16-channels", "mpsc.Sender.maxCapacity");
  }

  clone(): Sender<T> {
    return todo("16-channels", "mpsc.Sender.clone");
  }
}

/** A reserved slot: `send(v)` fills it (never waits, never fails); dropping it unused gives the slot back. */
export class Permit<T> implements Disposable {
  /** Takes a slot already reserved on `chan`, and counts as a sender until it sends or is dropped. */
  constructor(chan: BoundedChan<T>) {
    todo("16-channels", "mpsc.Permit.constructor");
  }

  send(value: T): void {
    todo("16-channels", "mpsc.Permit.send");
  }

  [Symbol.dispose](): void {
    todo("16-channels", "mpsc.Permit[Symbol.dispose]");
  }
}

export class Receiver<T> extends Rx<T, BoundedSemaphore> {
  /** Free slots right now. */
  capacity(): number {
    return todo("16-channels", "mpsc.Receiver.capacity");
  }

  maxCapacity(): number {
    return todo("16-channels", "mpsc.Receiver.maxCapacity");
  }
}
