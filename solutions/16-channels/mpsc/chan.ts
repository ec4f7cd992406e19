/**
 * The channel both `mpsc` flavours share (Tokio's `sync/mpsc/chan.rs`): a queue of messages, the receiver's waker,
 * the count of senders, and a capacity counter (`ChanSemaphore`) that each flavour supplies.
 *
 *     Sender ─┐                                           ┌─ permits: bounded = a batch semaphore of `buffer`
 *     Sender ─┼─▶ queue [m1 m2 m3 ...] (+ "closed" mark) ─┤            unbounded = a count of queued messages
 *     Sender ─┘            │                              └─ rx waker, rx closed flag, notify for `closed()`
 *                          ▼
 *                       Receiver
 *
 * - `send` queues a message whose slot the sender already holds, then wakes the receiver.
 * - `recv` (Tokio's `Rx::recv`): spend a unit of budget; try to pop; register the waker; try again (a message may
 *   have arrived while registering); then end (`undefined`, Rust's `None`) if the receiver is closed and no
 *   capacity is in use, else `Pending` and give the unit back. Popping a message returns its permit.
 * - When the last sender is dropped the queue gets its "closed" mark behind the last message: the receiver drains
 *   what was sent and then reads `undefined`.
 * - `close()` (receiver side) closes the semaphore, so senders fail from now on (and waiting ones are woken with
 *   an error), but what is queued can still be received; it also wakes every sender's `closed()`.
 *
 * Tokio stores messages in a linked list of 32-slot blocks that senders on many threads fill lock-free; on one
 * thread a ring buffer (`VecDeque`) does the same job. Tokio keeps the receiver's waker in an `AtomicWaker`, which
 * gives the waker up on every wake, so the receiver clones a new one each time it waits again. Here the waker
 * stays stored and a flag says whether the receiver is waiting: a send wakes it by reference, once per wait, and
 * the receiver clones only when a different task polls it (one clone for the life of a typical channel).
 *
 * Invariants: the receiver reads messages in the order they were queued; nothing is queued after the closed mark;
 * each popped message gives exactly one permit back.
 */
import type { Context, Waker, WakerRef } from "#kata/03-waker";
import { FutureBase, Pending, type Future, type Poll } from "#kata/01-poll";
import { pollProceed, restore } from "#kata/14-blocking";
import { Notify, type Notified } from "#kata/17-broadcast-watch";
import { VecDeque } from "#kit/vec-deque";
import { TryRecvError } from "./error.ts";

/** The capacity counter of a channel (Tokio's `chan::Semaphore` trait). */
export interface ChanSemaphore {
  /** True when no message is queued and no capacity is reserved: nothing more can come once closed. */
  isIdle(): boolean;
  /** A message left the queue: its capacity is free again. */
  addPermit(): void;
  /** The receiver closed the channel: no more capacity for anyone. */
  close(): void;
  isClosed(): boolean;
}

const EMPTY: unique symbol = Symbol("empty");
const TX_CLOSED: unique symbol = Symbol("closed");

export class Chan<T, S extends ChanSemaphore = ChanSemaphore> {
  readonly #queue: VecDeque<T>;
  /** The "closed" mark: every sender is gone (nothing can be queued after it). */
  #txClosed = false;
  /** The receiver's waker, and whether the receiver waits on it (registered since the last wake). */
  #rxWaker: Waker | null = null;
  #rxWaiting = false;
  #txCount = 1;
  #rxClosed = false;
  /** Woken (all of them) when the receiver closes: the senders' `closed()`. */
  readonly notifyRxClosed = new Notify();

  constructor(
    readonly semaphore: S,
    initialCapacity = 16,
  ) {
    this.#queue = new VecDeque<T>(initialCapacity);
  }

  // Sender side

  /** Queues a message (its capacity already taken) and wakes the receiver. */
  send(value: T): void {
    this.#queue.pushBack(value);
    this.wakeRx();
  }

  /** Wakes the receiver if it is waiting (once per wait, by reference: the waker stays stored). */
  wakeRx(): void {
    if (!this.#rxWaiting) return;
    this.#rxWaiting = false;
    this.#rxWaker!.wakeByRef();
  }

  /** The receiver waits: keep its waker (cloned only if the stored one would not wake the same task). */
  #registerRx(waker: WakerRef): void {
    const stored = this.#rxWaker;
    if (stored === null || !stored.willWake(waker)) {
      this.#rxWaker = waker.clone();
      stored?.drop();
    }
    this.#rxWaiting = true;
  }

  get txCount(): number {
    return this.#txCount;
  }

  incTxCount(): void {
    this.#txCount++;
  }

  /** A sender is dropped; the last one marks the queue closed and wakes the receiver. */
  decTxCount(): void {
    if (--this.#txCount !== 0) return;
    this.#txClosed = true;
    this.wakeRx();
  }

  // Receiver side

  recv(cx: Context): Poll<T | undefined> {
    const coop = pollProceed(cx);
    if (coop === Pending) return Pending;
    let v = this.#pop();
    if (v === EMPTY) {
      this.#registerRx(cx.waker);
      v = this.#pop();
    }
    if (v !== EMPTY) return v === TX_CLOSED ? undefined : v;
    if (this.#rxClosed && this.semaphore.isIdle()) return undefined;
    restore(coop);
    return Pending;
  }

  tryRecv(): T {
    const v = this.#pop();
    if (v === TX_CLOSED) throw TryRecvError.disconnected();
    if (v !== EMPTY) return v;
    if (this.#rxClosed && this.semaphore.isIdle()) throw TryRecvError.disconnected();
    throw TryRecvError.empty();
  }

  /** Stops the senders (their capacity is closed) but keeps the queue for the receiver to drain. */
  close(): void {
    this.#rxClosed = true;
    this.semaphore.close();
    this.notifyRxClosed.notifyWaiters();
  }

  /** The receiver's view: closed by it, or no sender left. */
  isClosed(): boolean {
    return this.semaphore.isClosed() || this.#txCount === 0;
  }

  isEmpty(): boolean {
    return this.#queue.isEmpty();
  }

  len(): number {
    return this.#queue.length;
  }

  /** The receiver is dropped: close, forget its waker, drop what is queued (returning each permit). */
  dropRx(): void {
    this.close();
    this.#rxWaiting = false;
    this.#rxWaker?.drop();
    this.#rxWaker = null;
    while (!this.#queue.isEmpty()) {
      this.#queue.popFront();
      this.semaphore.addPermit();
    }
  }

  /** The next message (its permit returned), the closed mark, or nothing yet. */
  #pop(): T | typeof EMPTY | typeof TX_CLOSED {
    if (this.#queue.isEmpty()) return this.#txClosed ? TX_CLOSED : EMPTY;
    const v = this.#queue.popFront() as T;
    this.semaphore.addPermit();
    return v;
  }
}

/** What every sender has (Tokio's `chan::Tx`): a counted handle on the channel. */
export abstract class Tx<T, S extends ChanSemaphore> implements Disposable {
  #chan: Chan<T, S> | null;

  constructor(chan: Chan<T, S>) {
    this.#chan = chan;
  }

  protected get chan(): Chan<T, S> {
    const chan = this.#chan;
    if (chan === null) throw new Error("Sender used after it was dropped");
    return chan;
  }

  /** True once the receiver has been dropped or closed. */
  isClosed(): boolean {
    return this.chan.semaphore.isClosed();
  }

  /** Completes once the receiver has been dropped or closed. */
  closed(): Future<void> {
    return new Closed(this.chan);
  }

  sameChannel(other: Tx<T, S>): boolean {
    return this.chan === other.chan;
  }

  /** How many senders (clones included) are alive. */
  strongCount(): number {
    return this.chan.txCount;
  }

  /** Drops this sender; when it is the last one, the receiver sees the end of the channel after the last message. */
  [Symbol.dispose](): void {
    const chan = this.#chan;
    if (chan === null) return;
    this.#chan = null;
    chan.decTxCount();
  }
}

/** `Sender.closed()`: wait on the receiver's close notification, unless it is closed already. */
class Closed extends FutureBase<void> {
  #notified: Notified | null = null;

  constructor(readonly chan: Chan<unknown, ChanSemaphore>) {
    super();
  }

  poll(cx: Context): Poll<void> {
    let notified = this.#notified;
    if (notified === null) {
      // As Tokio's async fn: ask to be notified first, then check, so a close in between is not missed.
      notified = this.#notified = this.chan.notifyRxClosed.notified();
      if (this.chan.semaphore.isClosed()) {
        notified[Symbol.dispose]();
        return undefined;
      }
    }
    return notified.poll(cx);
  }

  [Symbol.dispose](): void {
    this.#notified?.[Symbol.dispose]();
  }
}

/** What every receiver has (Tokio's `chan::Rx`). */
export class Rx<T, S extends ChanSemaphore> implements Disposable {
  #chan: Chan<T, S> | null;

  constructor(chan: Chan<T, S>) {
    this.#chan = chan;
  }

  protected get chan(): Chan<T, S> {
    const chan = this.#chan;
    if (chan === null) throw new Error("Receiver used after it was dropped");
    return chan;
  }

  /**
   * The next message, or `undefined` once every sender is gone (or the receiver closed) and the queue is drained.
   * Cancel safe: dropping the future before it completes loses no message.
   */
  recv(): Future<T | undefined> {
    return new Recv(this.chan);
  }

  /** One poll of `recv()`, for hand-written futures: no future object needed. */
  pollRecv(cx: Context): Poll<T | undefined> {
    return this.chan.recv(cx);
  }

  /** The next message now; throws `TryRecvError` `empty` or `disconnected`. */
  tryRecv(): T {
    return this.chan.tryRecv();
  }

  /** Stops the senders; messages already queued can still be received. */
  close(): void {
    this.chan.close();
  }

  isClosed(): boolean {
    return this.chan.isClosed();
  }

  isEmpty(): boolean {
    return this.chan.isEmpty();
  }

  /** Messages queued. */
  len(): number {
    return this.chan.len();
  }

  senderStrongCount(): number {
    return this.chan.txCount;
  }

  /** Closes the channel and drops every queued message. */
  [Symbol.dispose](): void {
    const chan = this.#chan;
    if (chan === null) return;
    this.#chan = null;
    chan.dropRx();
  }
}

class Recv<T> extends FutureBase<T | undefined> {
  #done = false;

  constructor(readonly chan: Chan<T, ChanSemaphore>) {
    super();
  }

  poll(cx: Context): Poll<T | undefined> {
    if (this.#done) throw new Error("`Recv` polled after completion");
    const out = this.chan.recv(cx);
    if (out !== Pending) this.#done = true;
    return out;
  }
}
